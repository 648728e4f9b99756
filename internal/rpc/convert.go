package rpc

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
)

// reverse inverts a domain-to-proto enum map.
func reverse[K comparable, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// optionalTime returns nil for the zero time or a nil pointer.
func optionalTime(t *time.Time) *timestamppb.Timestamp {
	if t == nil || t.IsZero() {
		return nil
	}
	return timestamppb.New(*t)
}
