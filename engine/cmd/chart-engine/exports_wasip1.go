//go:build wasip1

// The WebAssembly interface. The host asks for a buffer (buffer_alloc), writes the JSON request into it, calls
// render, reads the JSON response from the returned pointer and length, then releases both buffers
// (buffer_free). Buffers live in Go memory and are kept reachable in `pinned` until freed, so the garbage
// collector (which does not move objects) leaves them where the host expects them.
package main

import (
	"unsafe"

	"meshop.local/chart-engine/render"
)

var pinned = map[uint32][]byte{}

func pin(b []byte) uint32 {
	if len(b) == 0 {
		b = make([]byte, 1) // a zero-length slice may have no address of its own
	}
	p := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	pinned[p] = b
	return p
}

//go:wasmexport buffer_alloc
func bufferAlloc(size uint32) uint32 {
	return pin(make([]byte, size))
}

//go:wasmexport buffer_free
func bufferFree(ptr uint32) {
	delete(pinned, ptr)
}

// render returns the response's pointer in the high 32 bits and its length in the low 32 bits.
//
//go:wasmexport render
func renderExport(ptr, size uint32) uint64 {
	out := render.Handle(pinned[ptr][:size])
	return uint64(pin(out))<<32 | uint64(len(out))
}
