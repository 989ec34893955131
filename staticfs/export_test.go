package staticfs

import "time"

// SetClock makes h read the time from now, for tests of the revalidation
// interval. Call it before h serves its first request.
func SetClock(h *Handler, now func() time.Time) { h.clock = now }
