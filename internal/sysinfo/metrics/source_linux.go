package metrics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// maxProcFile caps how much of one /proc file is read: /proc/net/dev on a
// host with thousands of container interfaces is the largest expected.
const maxProcFile = 4 << 20

// linuxSource reads /proc directly instead of through gopsutil: the same
// counters at a fraction of the cost (no per-disk udev lookups, no
// per-process objects), which matters for a reading taken every few
// seconds for ever.
type linuxSource struct {
	proc, sys string
	log       *slog.Logger
	now       func() time.Time

	buf    []byte // reused for every file read
	dirBuf []byte // reused for getdents
	disks  classCache[bool]
	nets   classCache[ifClass]
	procs  *procTable
}

func newOSSource(opts SourceOptions) Source {
	return newLinuxSource("/proc", "/sys", opts.Logger)
}

func newLinuxSource(proc, sys string, log *slog.Logger) *linuxSource {
	s := &linuxSource{
		proc:   proc,
		sys:    sys,
		log:    log,
		now:    time.Now,
		buf:    make([]byte, 16<<10),
		dirBuf: make([]byte, 32<<10),
		procs:  newProcTable(),
	}
	s.disks = newClassCache(s.isPhysicalDisk)
	s.nets = newClassCache(s.classifyInterface)
	return s
}

func (s *linuxSource) Read(ctx context.Context) (Counters, error) {
	var c Counters
	b, err := s.read(filepath.Join(s.proc, "stat"))
	if err != nil {
		return c, err
	}
	busy, total, err := parseProcStat(b)
	if err != nil {
		return c, err
	}
	c.CPUBusy, c.CPUTotal = ticks(busy), ticks(total)

	if b, err = s.read(filepath.Join(s.proc, "meminfo")); err != nil {
		return c, err
	}
	if c.MemTotal, c.MemUsed, err = parseMeminfo(b); err != nil {
		return c, err
	}

	if b, err = s.read(filepath.Join(s.proc, "diskstats")); err != nil {
		return c, err
	}
	var set nameSet
	if c.DiskRead, c.DiskWritten, set, err = parseDiskstats(b, s.disks.lookup); err != nil {
		return c, err
	}
	c.Disks = uint64(set)

	if b, err = s.read(filepath.Join(s.proc, "net", "dev")); err != nil {
		return c, err
	}
	if c.NetRx, c.NetTx, set, err = parseNetDev(b, s.nets.lookup); err != nil {
		return c, err
	}
	c.Nets = uint64(set)

	// The top process is a bonus: failing to list processes (hidepid, a
	// sandbox) leaves it empty rather than losing the whole sample.
	if err := s.walkProcesses(ctx); err != nil {
		if ctx.Err() != nil {
			return c, ctx.Err()
		}
		s.log.Debug("metrics: listing processes failed", "err", err)
		return c, nil
	}
	c.Top = s.procs.finish(s.now())
	c.Usage = s.procs.usage
	return c, nil
}

// walkProcesses reads /proc/[pid]/stat of every process into the process
// table. It lists /proc with getdents into a reused buffer and opens each
// file relative to the /proc descriptor, a few syscalls per process.
func (s *linuxSource) walkProcesses(ctx context.Context) error {
	dir, err := syscall.Open(s.proc, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("opening %s: %w", s.proc, err)
	}
	defer syscall.Close(dir)
	s.procs.begin()
	var path [32]byte
	for {
		n, err := syscall.ReadDirent(dir, s.dirBuf)
		if err != nil {
			return fmt.Errorf("listing %s: %w", s.proc, err)
		}
		if n <= 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		parseDirents(s.dirBuf[:n], func(pid int) {
			p := strconv.AppendInt(path[:0], int64(pid), 10)
			p = append(p, "/stat"...)
			s.readProcess(dir, pid, string(p))
		})
	}
	return nil
}

// readProcess adds one process to the table. A process that exited since
// the listing, or a file that does not parse, is skipped: the walk is a
// best effort over a list that changes while it is read.
func (s *linuxSource) readProcess(dir, pid int, rel string) {
	fd, err := syscall.Openat(dir, rel, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	n, err := syscall.Read(fd, s.buf)
	syscall.Close(fd)
	if err != nil || n <= 0 {
		return
	}
	comm, cpu, start, err := parsePidStat(s.buf[:n])
	if err != nil {
		return
	}
	if s.procs.observe(pid, start, ticks(cpu)) {
		s.procs.lead(comm)
	}
}

// read returns the content of a /proc file in the reused buffer, growing
// it when the file does not fit.
func (s *linuxSource) read(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer syscall.Close(fd)
	n := 0
	for {
		if n == len(s.buf) {
			if len(s.buf) >= maxProcFile {
				return nil, fmt.Errorf("reading %s: larger than %d bytes", path, maxProcFile)
			}
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
		}
		m, err := syscall.Read(fd, s.buf[n:])
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if m == 0 {
			return s.buf[:n], nil
		}
		n += m
	}
}

// isPhysicalDisk reports whether a /proc/diskstats name is a whole disk
// backed by a device. Partitions are not in /sys/block, and loop, ram,
// zram, device-mapper and md devices have no "device" link: they sit on top
// of (or beside) real disks, and counting them would count the same bytes
// twice or count memory as disk.
func (s *linuxSource) isPhysicalDisk(name string) bool {
	// A '/' in a kernel device name (cciss/c0d0) is '!' in sysfs.
	sysName := string(bytes.ReplaceAll([]byte(name), []byte{'/'}, []byte{'!'}))
	_, err := os.Stat(filepath.Join(s.sys, "block", sysName, "device"))
	return err == nil
}

// classifyInterface tells the loopback, physical interfaces (those with a
// "device" link in sysfs) and virtual ones (bridges, tunnels, veths) apart.
func (s *linuxSource) classifyInterface(name string) ifClass {
	if name == "lo" {
		return ifSkip
	}
	if _, err := os.Stat(filepath.Join(s.sys, "class", "net", name, "device")); err == nil {
		return ifPhysical
	}
	if b, err := os.ReadFile(filepath.Join(s.sys, "class", "net", name, "type")); err == nil {
		// ARPHRD_LOOPBACK: a loopback under another name.
		if string(bytes.TrimSpace(b)) == "772" {
			return ifSkip
		}
	}
	return ifVirtual
}

// classCache remembers how each device name was classified, so sysfs is
// consulted once per device rather than once per reading.
type classCache[T any] struct {
	m        map[string]T
	classify func(name string) T
}

// maxClassCache bounds the cache on a host where devices come and go
// under new names (container veths): past it, the cache starts over.
const maxClassCache = 4096

func newClassCache[T any](classify func(string) T) classCache[T] {
	return classCache[T]{m: map[string]T{}, classify: classify}
}

func (c *classCache[T]) lookup(name []byte) T {
	if v, ok := c.m[string(name)]; ok {
		return v
	}
	if len(c.m) >= maxClassCache {
		clear(c.m)
	}
	v := c.classify(string(name))
	c.m[string(name)] = v
	return v
}
