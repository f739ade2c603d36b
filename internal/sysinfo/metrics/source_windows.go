package metrics

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// maxPhysicalDrives is how many \\.\PhysicalDriveN names are tried. Numbers
// can have gaps after a disk is removed, so the probe does not stop at the
// first missing one; a miss costs one failed CreateFile.
const maxPhysicalDrives = 32

// maxProcessInfo caps the SystemProcessInformation buffer (a few hundred KB
// on a busy desktop).
const maxProcessInfo = 64 << 20

// windowsSource reads the counters with a few Win32 and NT calls: one
// NtQuerySystemInformation lists every process with its CPU times, where
// walking processes one handle at a time would cost hundreds of calls.
type windowsSource struct {
	log *slog.Logger
	now func() time.Time

	getSystemTimes       *windows.LazyProc
	globalMemoryStatusEx *windows.LazyProc

	procBuf []byte
	nameBuf []byte
	procs   *procTable
	layout  spiLayout
}

func newOSSource(opts SourceOptions) Source {
	kernel32 := windows.NewLazySystemDLL("kernel32.dll")
	var spi windows.SYSTEM_PROCESS_INFORMATION
	return &windowsSource{
		log:                  opts.Logger,
		now:                  time.Now,
		getSystemTimes:       kernel32.NewProc("GetSystemTimes"),
		globalMemoryStatusEx: kernel32.NewProc("GlobalMemoryStatusEx"),
		procBuf:              make([]byte, 256<<10),
		procs:                newProcTable(),
		layout: spiLayout{
			next:       int(unsafe.Offsetof(spi.NextEntryOffset)),
			createTime: int(unsafe.Offsetof(spi.CreateTime)),
			userTime:   int(unsafe.Offsetof(spi.UserTime)),
			kernelTime: int(unsafe.Offsetof(spi.KernelTime)),
			nameLength: int(unsafe.Offsetof(spi.ImageName) + unsafe.Offsetof(spi.ImageName.Length)),
			nameBuffer: int(unsafe.Offsetof(spi.ImageName) + unsafe.Offsetof(spi.ImageName.Buffer)),
			pid:        int(unsafe.Offsetof(spi.UniqueProcessID)),
			ptrSize:    int(unsafe.Sizeof(uintptr(0))),
			size:       int(unsafe.Sizeof(spi)),
		},
	}
}

func (s *windowsSource) Read(ctx context.Context) (Counters, error) {
	var c Counters
	if err := s.readCPU(&c); err != nil {
		return c, err
	}
	if err := s.readMemory(&c); err != nil {
		return c, err
	}
	s.readDisks(&c)
	if err := s.readNetwork(&c); err != nil {
		return c, err
	}
	if err := ctx.Err(); err != nil {
		return c, err
	}
	if err := s.walkProcesses(); err != nil {
		s.log.Debug("metrics: listing processes failed", "err", err)
		return c, nil
	}
	c.Top = s.procs.finish(s.now())
	c.Usage = s.procs.usage
	return c, nil
}

// readCPU uses GetSystemTimes, whose kernel time includes idle time.
func (s *windowsSource) readCPU(c *Counters) error {
	var idle, kernel, user windows.Filetime
	r, _, err := s.getSystemTimes.Call(
		uintptr(unsafe.Pointer(&idle)), uintptr(unsafe.Pointer(&kernel)), uintptr(unsafe.Pointer(&user)))
	if r == 0 {
		return fmt.Errorf("GetSystemTimes: %w", err)
	}
	total := filetime100ns(kernel) + filetime100ns(user)
	busy := total - min(filetime100ns(idle), total)
	c.CPUBusy, c.CPUTotal = time.Duration(busy)*100, time.Duration(total)*100
	return nil
}

func filetime100ns(f windows.Filetime) uint64 {
	return uint64(f.HighDateTime)<<32 | uint64(f.LowDateTime)
}

// memoryStatusEx is MEMORYSTATUSEX.
type memoryStatusEx struct {
	Length               uint32
	MemoryLoad           uint32
	TotalPhys            uint64
	AvailPhys            uint64
	TotalPageFile        uint64
	AvailPageFile        uint64
	TotalVirtual         uint64
	AvailVirtual         uint64
	AvailExtendedVirtual uint64
}

func (s *windowsSource) readMemory(c *Counters) error {
	m := memoryStatusEx{Length: uint32(unsafe.Sizeof(memoryStatusEx{}))}
	r, _, err := s.globalMemoryStatusEx.Call(uintptr(unsafe.Pointer(&m)))
	if r == 0 {
		return fmt.Errorf("GlobalMemoryStatusEx: %w", err)
	}
	c.MemTotal, c.MemUsed = m.TotalPhys, m.TotalPhys-min(m.AvailPhys, m.TotalPhys)
	return nil
}

// diskPerformance is DISK_PERFORMANCE, the answer to IOCTL_DISK_PERFORMANCE.
type diskPerformance struct {
	BytesRead           int64
	BytesWritten        int64
	ReadTime            int64
	WriteTime           int64
	IdleTime            int64
	ReadCount           uint32
	WriteCount          uint32
	QueueDepth          uint32
	SplitCount          uint32
	QueryTime           int64
	StorageDeviceNumber uint32
	StorageManagerName  [8]uint16
}

// ioctlDiskPerformance is CTL_CODE(IOCTL_DISK_BASE, 8, METHOD_BUFFERED,
// FILE_ANY_ACCESS): it needs no read access to the disk.
const ioctlDiskPerformance = 0x70020

// readDisks sums the performance counters of the physical drives (whole
// disks, so volumes and partitions are not counted twice). A drive that
// does not answer is left out; the set identity tells derive when the set
// changed.
func (s *windowsSource) readDisks(c *Counters) {
	var set nameSet
	var name [24]byte
	for i := range maxPhysicalDrives {
		path := `\\.\PhysicalDrive` + strconv.Itoa(i)
		p, err := windows.UTF16PtrFromString(path)
		if err != nil {
			continue
		}
		h, err := windows.CreateFile(p, 0, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
			nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		var perf diskPerformance
		var n uint32
		err = windows.DeviceIoControl(h, ioctlDiskPerformance, nil, 0,
			(*byte)(unsafe.Pointer(&perf)), uint32(unsafe.Sizeof(perf)), &n, nil)
		windows.CloseHandle(h)
		if err != nil || perf.BytesRead < 0 || perf.BytesWritten < 0 {
			continue
		}
		c.DiskRead += uint64(perf.BytesRead)
		c.DiskWritten += uint64(perf.BytesWritten)
		set.add(strconv.AppendInt(name[:0], int64(i), 10))
	}
	c.Disks = uint64(set)
}

// readNetwork sums the interface table's byte counts over physical
// adapters (see windowsIfClass), or over virtual ones when there is none.
func (s *windowsSource) readNetwork(c *Counters) error {
	var table *windows.MibIfTable2
	if err := windows.GetIfTable2Ex(windows.MibIfTableNormal, &table); err != nil {
		return fmt.Errorf("GetIfTable2Ex: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(table))
	rows := unsafe.Slice(&table.Table[0], table.NumEntries)
	var phys, virt struct {
		rx, tx uint64
		set    nameSet
		n      int
	}
	var luid [8]byte
	for i := range rows {
		row := &rows[i]
		dst := &virt
		switch windowsIfClass(row.Type, row.InterfaceAndOperStatusFlags) {
		case ifSkip:
			continue
		case ifPhysical:
			dst = &phys
		}
		dst.rx += row.InOctets
		dst.tx += row.OutOctets
		binary.LittleEndian.PutUint64(luid[:], row.InterfaceLuid)
		dst.set.add(luid[:])
		dst.n++
	}
	if phys.n == 0 {
		phys = virt
	}
	c.NetRx, c.NetTx, c.Nets = phys.rx, phys.tx, uint64(phys.set)
	return nil
}

// walkProcesses lists every process with one NtQuerySystemInformation,
// growing the reused buffer when the kernel says it is too small.
func (s *windowsSource) walkProcesses() error {
	var need uint32
	for {
		err := windows.NtQuerySystemInformation(windows.SystemProcessInformation,
			unsafe.Pointer(&s.procBuf[0]), uint32(len(s.procBuf)), &need)
		if errors.Is(err, windows.STATUS_INFO_LENGTH_MISMATCH) {
			// Processes start between the two calls: leave room for them.
			grow := max(int(need), len(s.procBuf)) + 64<<10
			if grow > maxProcessInfo {
				return fmt.Errorf("process list larger than %d bytes", maxProcessInfo)
			}
			s.procBuf = make([]byte, grow)
			continue
		}
		if err != nil {
			return fmt.Errorf("NtQuerySystemInformation: %w", err)
		}
		if need == 0 || int(need) > len(s.procBuf) {
			need = uint32(len(s.procBuf))
		}
		break
	}
	base := uint64(uintptr(unsafe.Pointer(&s.procBuf[0])))
	s.procs.begin()
	err := walkProcessInfo(s.procBuf[:need], base, s.layout, func(e spiEntry) {
		// Pid 0 is the System Idle Process, whose "CPU time" is idle time.
		if e.pid == 0 {
			return
		}
		if s.procs.observe(e.pid, e.create, time.Duration(e.cpu)*100) {
			s.nameBuf = appendUTF16LE(s.nameBuf[:0], e.name)
			if len(s.nameBuf) == 0 && e.pid == 4 {
				// The kernel's own process has no image name.
				s.nameBuf = append(s.nameBuf, "System"...)
			}
			s.procs.lead(s.nameBuf)
		}
	})
	if err != nil {
		return fmt.Errorf("reading the process list: %w", err)
	}
	return nil
}
