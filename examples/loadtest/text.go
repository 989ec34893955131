package main

import (
	"bytes"
	"math/rand/v2"
)

// pageText returns n bytes of words and markup at random, from a fixed
// seed: text that compresses about as much as a real page.
func pageText(n int) []byte {
	words := []string{"the ", "static ", "file ", "server ", "sends ", "pages ", "and ", "scripts ", "to ",
		"browsers ", "with ", "compression ", "<p>", "</p>\n", "<a href=\"/docs/\">", "</a> ", "of ", "a ",
		"cache ", "request ", "response ", "header ", "body ", "bytes ", "\n"}
	rng := rand.New(rand.NewPCG(16, 16))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(40) == 0 {
			b.WriteString(string(rune('A' + rng.IntN(26))))
		}
	}
	return b.Bytes()[:n]
}
