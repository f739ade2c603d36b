package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/firstline-it/firstline/internal/report/delivery"
)

func TestClassification(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name       string
		err        error
		permanent  bool
		canceled   bool
		retryAfter time.Duration
	}{
		{"plain error", base, false, false, 0},
		{"permanent", delivery.Permanent(base), true, false, 0},
		{"wrapped permanent", fmt.Errorf("rt: %w", delivery.Permanent(base)), true, false, 0},
		{"transient with wait", delivery.Transient(base, time.Minute), false, false, time.Minute},
		{"negative wait", delivery.Transient(base, -time.Minute), false, false, 0},
		{"permanent wins over transient", delivery.Permanent(delivery.Transient(base, time.Minute)), true, false, time.Minute},
		{"auth", delivery.AuthFailed("rt", base, "delivery.rt.token"), true, false, 0},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false, true, 0},
		{"deadline", context.DeadlineExceeded, false, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := delivery.IsPermanent(tt.err); got != tt.permanent {
				t.Errorf("IsPermanent = %v", got)
			}
			if got := delivery.IsCanceled(tt.err); got != tt.canceled {
				t.Errorf("IsCanceled = %v", got)
			}
			if got := delivery.RetryAfter(tt.err); got != tt.retryAfter {
				t.Errorf("RetryAfter = %v", got)
			}
			if !errors.Is(tt.err, base) && !tt.canceled && tt.name != "deadline" {
				t.Error("the cause is lost")
			}
		})
	}
	if delivery.Permanent(nil) != nil || delivery.Transient(nil, time.Second) != nil {
		t.Error("classifying nil must stay nil")
	}
}

func TestClassifyNetwork(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name      string
		err       error
		transient bool
	}{
		{"dial", opErr, true},
		{"eof", io.ErrUnexpectedEOF, true},
		{"deadline", context.DeadlineExceeded, true},
		{"canceled", context.Canceled, false},
		{"already permanent", delivery.Permanent(opErr), false},
	}
	for _, tt := range tests {
		err := delivery.ClassifyNetwork(tt.err)
		var te *delivery.TransientError
		if got := errors.As(err, &te); got != tt.transient {
			t.Errorf("%s: transient = %v, want %v (%v)", tt.name, got, tt.transient, err)
		}
		if !errors.Is(err, tt.err) && !errors.Is(tt.err, err) {
			t.Errorf("%s: the cause is lost", tt.name)
		}
	}
	if delivery.ClassifyNetwork(nil) != nil {
		t.Error("ClassifyNetwork(nil) != nil")
	}
	// Already transient with a wait: kept as it is, wait included.
	tr := delivery.Transient(opErr, time.Minute)
	if got := delivery.RetryAfter(delivery.ClassifyNetwork(tr)); got != time.Minute {
		t.Errorf("re-classifying lost the wait: %v", got)
	}
}

func TestAuthErrorNamesKeysNotSecrets(t *testing.T) {
	err := delivery.AuthFailed("rt", errors.New("rt: GET /REST/2.0/tickets: HTTP 401 Unauthorized"), "delivery.rt.token")
	var ae *delivery.AuthError
	if !errors.As(err, &ae) || ae.Destination != "rt" {
		t.Fatalf("not an AuthError: %v", err)
	}
	want := "rt: GET /REST/2.0/tickets: HTTP 401 Unauthorized: credentials or permissions refused; check delivery.rt.token in the service configuration"
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	if msg := delivery.AuthFailed("email", nil, "a", "b").Error(); !strings.HasPrefix(msg, "email: ") || !strings.Contains(msg, "a and b") {
		t.Errorf("message without a cause: %s", msg)
	}
}
