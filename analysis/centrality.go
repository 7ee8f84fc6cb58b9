// Package analysis holds the graph algorithms the store cannot run in Cypher on Neo4j Community (which has
// no Graph Data Science library): betweenness centrality over a supply network. Standard library only.
package analysis

import (
	"math/rand/v2"
	"sort"

	"github.com/chainmap/chainmap"
)

// ExactLimit is the largest network whose betweenness is computed exactly; above it, Betweenness samples.
const ExactLimit = 2000

// Samples is how many sources the estimate uses on larger networks.
const Samples = 64

// Betweenness returns the betweenness centrality of each of n nodes in the directed graph of edges
// (Brandes' algorithm, unweighted): for each node, the number of shortest paths between other nodes that
// pass through it. Networks of more than ExactLimit nodes are estimated from Samples sources chosen with a
// fixed seed (so results repeat), scaled to the full count.
func Betweenness(n int, edges [][2]int) []float64 {
	adj := make([][]int32, n)
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], int32(e[1]))
	}
	sources := make([]int, n)
	for i := range sources {
		sources[i] = i
	}
	scale := 1.0
	if n > ExactLimit {
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(n, func(i, j int) { sources[i], sources[j] = sources[j], sources[i] })
		sources = sources[:Samples]
		scale = float64(n) / Samples
	}
	bc := make([]float64, n)
	sigma := make([]float64, n)
	dist := make([]int32, n)
	delta := make([]float64, n)
	preds := make([][]int32, n)
	stack := make([]int32, 0, n)
	queue := make([]int32, 0, n)
	for _, s := range sources {
		for i := range n {
			sigma[i], dist[i], delta[i], preds[i] = 0, -1, 0, preds[i][:0]
		}
		sigma[s], dist[s] = 1, 0
		stack, queue = stack[:0], append(queue[:0], int32(s))
		for head := 0; head < len(queue); head++ {
			v := queue[head]
			stack = append(stack, v)
			for _, w := range adj[v] {
				if dist[w] < 0 {
					dist[w] = dist[v] + 1
					queue = append(queue, w)
				}
				if dist[w] == dist[v]+1 {
					sigma[w] += sigma[v]
					preds[w] = append(preds[w], v)
				}
			}
		}
		for i := len(stack) - 1; i >= 0; i-- {
			w := stack[i]
			for _, v := range preds[w] {
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			if int(w) != s {
				bc[w] += delta[w]
			}
		}
	}
	if scale != 1 {
		for i := range bc {
			bc[i] *= scale
		}
	}
	return bc
}

// Rank scores every enterprise of a supply network by (degree + betweenness) × (1 + open bottlenecks on its
// segments) — its place in the network weighted by how exposed its segments are — and returns them best first
// (ties by id), ranked from 1.
func Rank(net chainmap.SupplyNetwork) []chainmap.Critical {
	n := len(net.IDs)
	bc := Betweenness(n, net.Edges)
	degree := make([]int, n)
	for _, e := range net.Edges {
		degree[e[0]]++
		degree[e[1]]++
	}
	out := make([]chainmap.Critical, n)
	for i, id := range net.IDs {
		open := 0
		if i < len(net.OpenBottlenecks) {
			open = net.OpenBottlenecks[i]
		}
		out[i] = chainmap.Critical{EnterpriseID: id, Degree: degree[i], Betweenness: bc[i], OpenBottlenecks: open,
			Score: (float64(degree[i]) + bc[i]) * float64(1+open)}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].EnterpriseID < out[j].EnterpriseID
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}
