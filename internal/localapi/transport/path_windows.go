package transport

// DefaultPath is the installed service's named pipe, under the prefix only
// administrators may create pipes in.
const DefaultPath = `\\.\pipe\ProtectedPrefix\Administrators\Firstline\localapi`
