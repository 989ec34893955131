package main

import (
	"fmt"
	"io"
	"slices"
)

// report gathers the rounds of every scenario and server.
type report struct {
	order []string // scenario/server, in the order first seen
	runs  map[string][]result
}

func newReport() *report { return &report{runs: map[string][]result{}} }

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

// print writes the Markdown table: medians, and ratios of staticfs's
// rows to the reference servers of the same scenario.
func (r *report) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\n%d alternating rounds, wrk runs of %v, medians; CPU is the server's user+system time per request.\n\n", o.rounds, o.duration)
	fmt.Fprintln(w, "| scenario | server | req/s | MB/s | errors | CPU µs/req | vs http.FileServer | vs nginx | vs fixed handler | vs staticfs | vs keep-alives off |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, key := range r.order {
		scenario, server := splitKey(key)
		m, _ := r.median(key)
		fmt.Fprintf(w, "| %s | %s | %.0f | %.1f | %d | %.1f | %s | %s | %s | %s | %s |\n", scenario, server, m.ReqPerSec, m.MBPerSec, m.Errors, m.CPUPerReq,
			r.ratio(scenario, m, "http.FileServer"), r.ratio(scenario, m, "nginx"), r.ratio(scenario, m, "fixed-handler"),
			r.ratio(scenario, m, "staticfs"), r.ratio(scenario, m, "staticfs-keepalives-off"))
	}
}

// ratio compares m with a reference server's median in the scenario, by
// req/s (MB/s for the large files, which is the same ratio), and by CPU
// time per request, inverted so that above 1× means m costs less.
func (r *report) ratio(scenario string, m result, ref string) string {
	base, ok := r.median(scenario + "\x00" + ref)
	if !ok || base.ReqPerSec == 0 {
		return ""
	}
	ratio := fmt.Sprintf("%.2f×", m.ReqPerSec/base.ReqPerSec)
	if m.CPUPerReq > 0 && base.CPUPerReq > 0 {
		// Efficiency: the reference's CPU per request over ours.
		ratio += fmt.Sprintf(" (CPU %.2f×)", base.CPUPerReq/m.CPUPerReq)
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
