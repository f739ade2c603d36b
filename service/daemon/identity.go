package daemon

import (
	"runtime"

	"github.com/firstline-it/firstline/internal/localapi"
)

// serviceIdentity is who the service is when it files a report of its own
// (the batched responses to IT notices): the account it runs as, so only
// administrators list those reports.
func serviceIdentity() localapi.Identity {
	if runtime.GOOS == "windows" {
		return localapi.Identity{UID: "S-1-5-18", Username: `NT AUTHORITY\SYSTEM`, Admin: true}
	}
	return localapi.Identity{UID: "0", Username: "root", Admin: true}
}
