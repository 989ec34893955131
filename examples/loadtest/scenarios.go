package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// scenario is one file and way of loading it, measured on some servers.
type scenario struct {
	name    string
	tool    string // wrk or ab
	path    string
	conns   int
	servers []string
	byBytes bool // compare MB/s: a few large requests per run count coarsely
}

func scenarios(o options) []scenario {
	all := []scenario{
		{"1k", "wrk", "/1k.css", o.conns, []string{"staticfs", "staticfs-mem", "staticfs+conn",
			"staticfs+conn+headerlog", "staticfs+accesslog", "http.FileServer", "fixed-handler", "nginx"}, false},
		{"1m", "wrk", "/1m.bin", 8, []string{"staticfs", "staticfs+conn", "staticfs-mem", "http.FileServer", "nginx"}, true},
		{"100m", "wrk", "/100m.bin", 4, []string{"staticfs", "staticfs+conn", "http.FileServer", "nginx"}, true},
		{"short", "ab", "/1k.css", o.conns, []string{"staticfs+conn-short", "staticfs-keepalives-off", "nginx"}, false},
	}
	var out []scenario
	for _, sc := range all {
		if sc.name == "100m" && !o.large {
			continue
		}
		if !selected(o.only, sc.name) {
			continue
		}
		out = append(out, sc)
	}
	return out
}

// selected reports whether the comma-separated list (all when empty)
// names the item.
func selected(list, name string) bool {
	return list == "" || strings.Contains(","+list+",", ","+name+",")
}

// measure runs the scenario's servers in alternating rounds and records
// every round in the report. Each round starts one server further down
// the list (A B C, B C A, C A B, ...), so that no server always runs
// first, or always right after nginx.
func (sc scenario) measure(servers map[string]server, o options, rep *report) error {
	rep.byBytes[sc.name] = sc.byBytes
	for round := 0; round < o.rounds; round++ {
		for i := range sc.servers {
			name := sc.servers[(i+round)%len(sc.servers)]
			s, ok := servers[name]
			if !ok || !selected(o.servers, name) {
				continue // nginx not installed, or not asked for
			}
			var r result
			var err error
			cpu0 := s.cpu()
			if sc.tool == "ab" {
				n := 20000
				if o.rounds == 1 && o.duration <= 1e9 {
					n = 2000
				}
				r, err = runAB(s.url+sc.path, sc.conns, n)
			} else {
				r, err = runWrk(s.url+sc.path, sc.conns, o.duration)
			}
			if err != nil {
				return fmt.Errorf("%s on %s: %w", sc.name, name, err)
			}
			if r.Requests > 0 {
				r.CPUPerReq = float64(s.cpu()-cpu0) / float64(time.Microsecond) / float64(r.Requests)
			}
			if o.verbose {
				fmt.Fprintf(os.Stderr, "round %d %s %s: %.0f req/s, %.1f MB/s, %.1f µs CPU/req, %d errors\n",
					round+1, sc.name, name, r.ReqPerSec, r.MBPerSec, r.CPUPerReq, r.Errors)
			}
			rep.add(sc.name, name, r)
		}
	}
	return nil
}
