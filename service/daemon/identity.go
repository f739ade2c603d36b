package daemon

import (
	"runtime"

	"github.com/firstline-it/firstline/internal/localapi"
)

// serviceIdentity is who the service is when it files a report of its own
// (the batched responses to IT notices): the account it runs as, so only
// administrators list those reports, named for the ticket so that IT does
// not read a batch of employees' answers as root's report.
const serviceName = "Firstline service"

func serviceIdentity() localapi.Identity {
	if runtime.GOOS == "windows" {
		return localapi.Identity{UID: "S-1-5-18", Username: serviceName, Admin: true}
	}
	return localapi.Identity{UID: "0", Username: serviceName, Admin: true}
}
