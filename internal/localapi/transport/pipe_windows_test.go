package transport

import (
	"fmt"
	"strings"
	"testing"
)

func TestPipeSDDLMatchesClientAccess(t *testing.T) {
	want := fmt.Sprintf("(A;;%#X;;;AU)", uint32(clientAccess))
	if !strings.Contains(strings.ToUpper(pipeSDDL), strings.ToUpper(want)) {
		t.Fatalf("SDDL %s does not grant users exactly %s", pipeSDDL, want)
	}
	if clientAccess&0x4 != 0 { // FILE_APPEND_DATA = create a pipe instance
		t.Fatal("clients may create pipe instances")
	}
}
