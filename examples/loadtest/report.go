package main

import (
	"fmt"
	"io"
	"slices"
)

// report gathers the rounds of every scenario and server.
type report struct {
	order   []string // scenario/server, in the order first seen
	runs    map[string][]result
	byBytes map[string]bool   // scenarios compared by MB/s rather than req/s
	nginx   map[string]string // the "vs nginx" reference of a scenario, when not "nginx"
}

func newReport() *report {
	return &report{runs: map[string][]result{}, byBytes: map[string]bool{}, nginx: map[string]string{}}
}

func (r *report) add(scenario, server string, res result) {
	key := scenario + "\x00" + server
	if _, ok := r.runs[key]; !ok {
		r.order = append(r.order, key)
	}
	r.runs[key] = append(r.runs[key], res)
}

// median returns the median request and byte rates of the key's rounds
// and their summed errors.
func (r *report) median(key string) (result, bool) {
	runs, ok := r.runs[key]
	if !ok {
		return result{}, false
	}
	reqs := make([]float64, len(runs))
	mbs := make([]float64, len(runs))
	cpu := make([]float64, len(runs))
	errs := 0
	for i, x := range runs {
		reqs[i], mbs[i], cpu[i], errs = x.ReqPerSec, x.MBPerSec, x.CPUPerReq, errs+x.Errors
	}
	return result{ReqPerSec: med(reqs), MBPerSec: med(mbs), CPUPerReq: med(cpu), Errors: errs}, true
}

func med(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// print writes the Markdown table: medians, and the median per-round
// ratios of each row to the reference servers of the same scenario.
func (r *report) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\n%d alternating rounds, wrk runs of %v; rates are medians, ratios the medians of per-round ratios; CPU is the server's user+system time per request.\n\n", o.rounds, o.duration)
	fmt.Fprintln(w, "| scenario | server | req/s | MB/s | errors | CPU µs/req | vs http.FileServer | vs nginx | vs fixed handler | vs staticfs | vs keep-alives off | vs Caddy | vs fileserver |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, key := range r.order {
		scenario, server := splitKey(key)
		m, _ := r.median(key)
		nginx := r.nginx[scenario]
		if nginx == "" {
			nginx = "nginx"
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %.1f | %d | %.1f | %s | %s | %s | %s | %s | %s | %s |\n", scenario, server, m.ReqPerSec, m.MBPerSec, m.Errors, m.CPUPerReq,
			r.ratio(scenario, server, "http.FileServer"), r.ratio(scenario, server, nginx), r.ratio(scenario, server, "fixed-handler"),
			r.ratio(scenario, server, "staticfs"), r.ratio(scenario, server, "staticfs-keepalives-off"), r.ratio(scenario, server, "caddy-gzip"),
			r.ratio(scenario, server, "fileserver"))
	}
}

// ratio compares a server with a reference server of the same scenario
// round by round, by req/s (by MB/s for the large files, of which a run
// completes too few for req/s to be precise) and by CPU time per request,
// inverted so that above 1× means the server costs less, and returns the
// medians of those per-round ratios.
// Pairing the rounds cancels the drift of a noisy machine, which moves
// both servers of a round alike.
func (r *report) ratio(scenario, server, ref string) string {
	runs, base := r.runs[scenario+"\x00"+server], r.runs[scenario+"\x00"+ref]
	n := min(len(runs), len(base))
	var rate, cpu []float64
	for i := 0; i < n; i++ {
		ours, ref := runs[i].ReqPerSec, base[i].ReqPerSec
		if r.byBytes[scenario] {
			ours, ref = runs[i].MBPerSec, base[i].MBPerSec
		}
		if ref > 0 {
			rate = append(rate, ours/ref)
		}
		if runs[i].CPUPerReq > 0 && base[i].CPUPerReq > 0 {
			cpu = append(cpu, base[i].CPUPerReq/runs[i].CPUPerReq)
		}
	}
	if len(rate) == 0 {
		return ""
	}
	ratio := fmt.Sprintf("%.2f×", med(rate))
	if len(cpu) > 0 {
		ratio += fmt.Sprintf(" (CPU %.2f×)", med(cpu))
	}
	return ratio
}

func splitKey(key string) (string, string) {
	for i := 0; i < len(key); i++ {
		if key[i] == 0 {
			return key[:i], key[i+1:]
		}
	}
	return key, ""
}
