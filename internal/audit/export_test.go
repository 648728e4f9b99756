package audit

// LegacyVerify is the check of the SHA-256 chain alone: what Verify was
// before the audit key, for tests to show what it missed.
var LegacyVerify = verifyHashChain

// MACWith is the MAC of e (numbered seq, after prev) under k: what an
// attacker holding another key would compute.
func MACWith(k *Key, e *Event, seq int64, prev string) string { return k.eventMAC(e, seq, prev) }

// HashOf is the SHA-256 chain hash of e: anyone can compute it.
func HashOf(e *Event) string { return e.computeHash() }
