package prom

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// userHZ is the unit of /proc's CPU times (USER_HZ, 100 on every Linux architecture Go
// supports).
const userHZ = 100

// RegisterProcess registers the process's metrics under the names Prometheus's clients give
// them (process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds ...), read
// from /proc at each scrape. A metric whose source cannot be read is left out of that scrape.
func (r *Registry) RegisterProcess() {
	r.CollectGroup(collectProcess)
}

func collectProcess(e *Emitter) {
	if st, ok := readStat(); ok {
		e.Counter("process_cpu_seconds_total", "User and system CPU time of the process, in seconds.", float64(st.utime+st.stime)/userHZ)
		e.Gauge("process_resident_memory_bytes", "Resident memory of the process, in bytes.", float64(st.rss*uint64(os.Getpagesize())))
		e.Gauge("process_virtual_memory_bytes", "Virtual memory of the process, in bytes.", float64(st.vsize))
		if boot, ok := bootTime(); ok {
			e.Gauge("process_start_time_seconds", "Unix time at which the process started, in seconds.", float64(boot)+float64(st.start)/userHZ)
		}
	}
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil {
		e.Gauge("process_max_fds", "The process's limit of open file descriptors.", float64(lim.Cur))
	}
	if syscall.Getrlimit(syscall.RLIMIT_AS, &lim) == nil {
		e.Gauge("process_virtual_memory_max_bytes", "The process's limit of virtual memory, in bytes.", float64(lim.Cur))
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		e.Gauge("process_open_fds", "Open file descriptors of the process.", float64(len(fds)))
	}
	if in, out, ok := ipOctets(); ok {
		e.Counter("process_network_receive_bytes_total", "Bytes received over the network by the process's network namespace (IP octets).", float64(in))
		e.Counter("process_network_transmit_bytes_total", "Bytes sent over the network by the process's network namespace (IP octets).", float64(out))
	}
}

type procStat struct {
	utime, stime, start, vsize, rss uint64
}

// readStat reads /proc/self/stat (proc(5)): utime and stime (fields 14 and 15), starttime
// (22), vsize (23) and rss (24, in pages).
func readStat() (procStat, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return procStat{}, false
	}
	// The command name (field 2) is in parentheses and may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3
	if len(f) < 22 {
		return procStat{}, false
	}
	var st procStat
	for _, p := range []struct {
		field int
		v     *uint64
	}{{14, &st.utime}, {15, &st.stime}, {22, &st.start}, {23, &st.vsize}, {24, &st.rss}} {
		n, err := strconv.ParseUint(f[p.field-3], 10, 64)
		if err != nil {
			return procStat{}, false
		}
		*p.v = n
	}
	return st, true
}

// bootTime is the system's boot time, Unix seconds (/proc/stat's btime).
func bootTime() (uint64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// ipOctets are the IP octets received and sent in the process's network namespace
// (/proc/self/net/netstat, IpExt InOctets and OutOctets).
func ipOctets() (in, out uint64, ok bool) {
	b, err := os.ReadFile("/proc/self/net/netstat")
	if err != nil {
		return 0, 0, false
	}
	lines := strings.Split(string(b), "\n")
	for i := 0; i+1 < len(lines); i++ {
		names, ok1 := strings.CutPrefix(lines[i], "IpExt: ")
		values, ok2 := strings.CutPrefix(lines[i+1], "IpExt: ")
		if !ok1 || !ok2 {
			continue
		}
		n, v := strings.Fields(names), strings.Fields(values)
		var gotIn, gotOut bool
		for j := range min(len(n), len(v)) {
			switch n[j] {
			case "InOctets":
				in, err = strconv.ParseUint(v[j], 10, 64)
				gotIn = err == nil
			case "OutOctets":
				out, err = strconv.ParseUint(v[j], 10, 64)
				gotOut = err == nil
			}
		}
		return in, out, gotIn && gotOut
	}
	return 0, 0, false
}
