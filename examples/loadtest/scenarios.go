package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
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
	byBytes bool   // compare MB/s: a few large requests per run count coarsely
	header  string // a request header wrk sends, e.g. "Accept-Encoding: gzip"
	nginx   string // the server the "vs nginx" column compares with; "" for "nginx"
}

// gzipOnly is what the compression scenarios' clients accept.
const gzipOnly = "Accept-Encoding: gzip"

func scenarios(o options) []scenario {
	all := []scenario{
		{"1k", "wrk", "/1k.css", o.conns, []string{"staticfs", "staticfs-mem", "staticfs+conn",
			"staticfs+conn+headerlog", "staticfs+accesslog", "http.FileServer", "fixed-handler", "nginx"}, false, "", ""},
		{"1m", "wrk", "/1m.bin", 8, []string{"staticfs", "staticfs+conn", "staticfs-mem", "http.FileServer", "nginx"}, true, "", ""},
		{"100m", "wrk", "/100m.bin", 4, []string{"staticfs", "staticfs+conn", "http.FileServer", "nginx"}, true, "", ""},
		{"short", "ab", "/1k.css", o.conns, []string{"staticfs+conn-short", "staticfs-keepalives-off", "nginx"}, false, "", ""},
		// Compression: a 16 KiB page as it is, then asked for with gzip
		// (staticfs compresses it once and serves it from memory; nginx
		// and Caddy compress on every request), and a 1 MiB text file,
		// which staticfs compresses as it is sent, like nginx.
		{"16k", "wrk", "/16k.html", o.conns, []string{"staticfs", "staticfs+conn", "http.FileServer", "nginx"}, false, "", ""},
		{"16k-gzip", "wrk", "/16k.html", o.conns, []string{"staticfs", "staticfs+conn", "nginx-gzip", "caddy-gzip"}, false, gzipOnly, "nginx-gzip"},
		{"1m-gzip", "wrk", "/1m.txt", 8, []string{"staticfs", "staticfs+conn", "nginx-gzip"}, false, gzipOnly, "nginx-gzip"},
		// What each piece around the files costs: CORS, the security
		// headers and health in this process, beside the bare Handler
		// (vs staticfs), then each piece behind its flag of the reference
		// server, metrics included (vs fileserver, which runs with
		// -log-headers off).
		{"pieces", "wrk", "/1k.css", o.conns, append([]string{"staticfs", "staticfs+cors", "staticfs+securityheaders", "staticfs+health"},
			fileserverRows...), false, "", ""},
		// The same with an allowed Origin on every request: CORS answers
		// with its headers instead of passing through.
		{"pieces-origin", "wrk", "/1k.css", o.conns, []string{"staticfs", "staticfs+cors", "fileserver", "fileserver+cors"}, false, "Origin: https://a.example", ""},
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
	rep.nginx[sc.name] = sc.nginx
	for _, name := range sc.servers {
		if s, ok := servers[name]; ok && selected(o.servers, name) {
			if err := sc.check(s); err != nil {
				return err
			}
		}
	}
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
				r, err = runWrk(s.url+sc.path, sc.conns, o.duration, sc.header)
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

// needsCaddy reports whether a scenario that measures Caddy will run.
func needsCaddy(o options) bool {
	for _, sc := range scenarios(o) {
		if slices.Contains(sc.servers, "caddy-gzip") && selected(o.servers, "caddy-gzip") {
			return true
		}
	}
	return false
}

// check makes one request as the scenario's load does and requires a 200
// and, when the scenario asks for gzip, a gzip body: a server that does
// not compress would win a compression scenario for nothing.
func (sc scenario) check(s server) error {
	req, err := http.NewRequest("GET", s.url+sc.path, nil)
	if err != nil {
		return err
	}
	if name, value, ok := strings.Cut(sc.header, ":"); ok {
		req.Header.Set(name, strings.TrimSpace(value))
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", sc.name, s.name, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s on %s: status %d", sc.name, s.name, resp.StatusCode)
	}
	if sc.header == gzipOnly && resp.Header.Get("Content-Encoding") != "gzip" {
		return fmt.Errorf("%s on %s: Content-Encoding %q, want gzip", sc.name, s.name, resp.Header.Get("Content-Encoding"))
	}
	return nil
}
