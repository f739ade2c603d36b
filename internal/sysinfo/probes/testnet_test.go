package probes

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/firstline-it/firstline/internal/sysinfo/netconf"
)

// testNet is the test network: a DNS server, HTTPS servers with
// certificates from a test CA, and a dialer that makes two documentation
// ranges behave like the internet's worst cases, whatever the machine's own
// network does with them (a sandbox may answer for any address):
//
//   - 192.0.2.0/24 is a black hole: connections hang until the deadline;
//   - 198.51.100.0/24 is unreachable: connections fail at once with
//     "no route to host".
type testNet struct {
	t        testing.TB
	dns      *dnsServer
	resolver *net.Resolver
	pool     *x509.CertPool
	ca       *x509.Certificate
	caKey    *ecdsa.PrivateKey
}

func newTestNet(t testing.TB) *testNet {
	n := &testNet{t: t, dns: startDNS(t)}
	n.resolver = n.dns.resolver()
	n.ca, n.caKey = newCA(t)
	n.pool = x509.NewCertPool()
	n.pool.AddCert(n.ca)
	return n
}

// options points Run at the test network. The ARP table is an empty root:
// no router is known unless a test says so.
func (n *testNet) options() Options {
	return Options{
		Resolver:    n.resolver,
		DialContext: n.dial,
		RootCAs:     n.pool,
		Proxy:       func(*http.Request) (*url.URL, error) { return nil, nil },
		Env:         netconf.Env{Root: n.t.TempDir()},
		Targets:     []Target{},
		Budget:      2 * time.Second,
	}
}

// dial resolves names itself so that the black hole and the unreachable
// range apply to names as well as to addresses.
func (n *testNet) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		ips, lerr := n.resolver.LookupNetIP(ctx, "ip4", host)
		if lerr != nil {
			return nil, &net.OpError{Op: "dial", Net: network, Err: lerr}
		}
		ip = ips[0]
	}
	switch {
	case netip.MustParsePrefix("192.0.2.0/24").Contains(ip):
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
	case netip.MustParsePrefix("198.51.100.0/24").Contains(ip):
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
}

// serveTLS starts an HTTPS server whose certificate names names and is
// signed by the test CA (or by its own, untrusted CA if untrusted), valid
// until notAfter (zero: an hour from now). The server's host names resolve
// to 127.0.0.1; the URL returned uses the first.
func (n *testNet) serveTLS(h http.Handler, names []string, untrusted bool, notAfter time.Time) string {
	n.t.Helper()
	ca, key := n.ca, n.caKey
	if untrusted {
		ca, key = newCA(n.t)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf(n.t, ca, key, names, notAfter)}}
	// Refused handshakes are what some tests are about; no need to log them.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	n.t.Cleanup(srv.Close)
	for _, name := range names {
		n.dns.set(name, "127.0.0.1")
	}
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "https://" + net.JoinHostPort(names[0], port) + "/"
}

// closedPort returns a local address nobody listens on.
func closedPort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func newCA(t testing.TB) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Firstline test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func leaf(t testing.TB, ca *x509.Certificate, caKey *ecdsa.PrivateKey, names []string, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if notAfter.IsZero() {
		notAfter = time.Now().Add(time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    time.Now().Add(-2 * time.Hour),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// dnsServer is a minimal authoritative DNS server over UDP: names set to
// an IPv4 address answer it (and an empty AAAA), names set to "silent"
// are never answered, and any other name does not exist.
type dnsServer struct {
	conn net.PacketConn
	done chan struct{}

	mu      sync.Mutex
	records map[string]string
}

func startDNS(t testing.TB) *dnsServer {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dnsServer{conn: conn, done: make(chan struct{}), records: map[string]string{}}
	go s.serve()
	t.Cleanup(func() {
		conn.Close()
		<-s.done
	})
	return s
}

func (s *dnsServer) set(name, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[strings.ToLower(name)] = value
}

func (s *dnsServer) lookup(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.records[strings.TrimSuffix(strings.ToLower(name), ".")]
	return v, ok
}

// resolver sends every query to this server, whatever the system's
// resolv.conf says.
func (s *dnsServer) resolver() *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", s.conn.LocalAddr().String())
		},
	}
}

func (s *dnsServer) serve() {
	defer close(s.done)
	buf := make([]byte, 1500)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if reply, ok := s.answer(buf[:n]); ok {
			s.conn.WriteTo(reply, from)
		}
	}
}

func (s *dnsServer) answer(query []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	value, known := s.lookup(q.Name.String())
	if value == "silent" {
		return nil, false
	}
	rcode := dnsmessage.RCodeSuccess
	if !known {
		rcode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{
		ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired,
		RecursionAvailable: true, RCode: rcode,
	})
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	if ip, err := netip.ParseAddr(value); err == nil && known && q.Type == dnsmessage.TypeA {
		hdr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
		if b.AResource(hdr, dnsmessage.AResource{A: ip.As4()}) != nil {
			return nil, false
		}
	}
	msg, err := b.Finish()
	return msg, err == nil
}

// silentUDP returns the address of a UDP socket that reads nothing and
// answers nothing: a DNS server that is down without saying so.
func silentUDP(t testing.TB) string {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn.LocalAddr().String()
}
