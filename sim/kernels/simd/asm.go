package simd

import (
	"bytes"
	"encoding/binary"
	"math"
)

// A tiny assembler for the WebAssembly binary format: just the sections,
// types and instructions the kernels use. The specification is
// https://webassembly.github.io/spec/core/binary/ (SIMD: the 128-bit
// packed SIMD extension, merged into WebAssembly 2.0).

// valType is a WebAssembly value type.
type valType byte

const (
	i32  valType = 0x7f
	f32  valType = 0x7d
	f64  valType = 0x7c
	v128 valType = 0x7b
)

// local is the index of a parameter or local variable.
type local uint32

// fn is one function under construction: its signature, its locals and its
// code. The methods append instructions; they are named after the
// instructions (i32.add is I32Add) so that the kernels read like a .wat file.
type fn struct {
	name    string
	params  []valType
	locals  []valType
	code    bytes.Buffer
	nesting int // open blocks, checked at the end
}

func newFn(name string, params ...valType) *fn { return &fn{name: name, params: params} }

// param returns the index of parameter i.
func (f *fn) param(i int) local { return local(i) }

// local declares a new local variable of type t.
func (f *fn) local(t valType) local {
	f.locals = append(f.locals, t)
	return local(len(f.params) + len(f.locals) - 1)
}

func (f *fn) op(b ...byte) { f.code.Write(b) }

func (f *fn) Get(l local) { f.op(0x20); f.u32(uint32(l)) }
func (f *fn) Set(l local) { f.op(0x21); f.u32(uint32(l)) }
func (f *fn) Tee(l local) { f.op(0x22); f.u32(uint32(l)) }

func (f *fn) I32Const(c int32) { f.op(0x41); f.s32(c) }
func (f *fn) F32Const(c float32) {
	f.op(0x43)
	u := math.Float32bits(c)
	f.op(byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
}
func (f *fn) I32Add()  { f.op(0x6a) }
func (f *fn) I32Sub()  { f.op(0x6b) }
func (f *fn) I32Mul()  { f.op(0x6c) }
func (f *fn) I32Shl()  { f.op(0x74) }
func (f *fn) I32ShrS() { f.op(0x75) }
func (f *fn) I32Eqz()  { f.op(0x45) }
func (f *fn) I32LtS()  { f.op(0x48) }
func (f *fn) I32LeS()  { f.op(0x4c) }
func (f *fn) I32GeS()  { f.op(0x4e) }
func (f *fn) F32Add()  { f.op(0x92) }
func (f *fn) F32Sub()  { f.op(0x93) }
func (f *fn) F32Mul()  { f.op(0x94) }
func (f *fn) F32Div()  { f.op(0x95) }
func (f *fn) F32Max()  { f.op(0x97) }
func (f *fn) Drop()    { f.op(0x1a) }
func (f *fn) Return()  { f.op(0x0f) }
func (f *fn) Select()  { f.op(0x1b) }
func (f *fn) F32Sqrt() { f.op(0x91) }

func (f *fn) F64Add()         { f.op(0xa0) }
func (f *fn) F64Sub()         { f.op(0xa1) }
func (f *fn) F64Mul()         { f.op(0xa2) }
func (f *fn) F64Div()         { f.op(0xa3) }
func (f *fn) F64Max()         { f.op(0xa5) }
func (f *fn) F64Sqrt()        { f.op(0x9f) }
func (f *fn) F64ConvertI32S() { f.op(0xb7) }
func (f *fn) F32DemoteF64()   { f.op(0xb6) }
func (f *fn) F64Const(c float64) {
	f.op(0x44)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(c))
	f.op(b[:]...)
}

// Memory accesses take an alignment hint (log2 bytes) and a constant offset.
// Go only guarantees 4-byte alignment for []float32, so every hint is 2.
func (f *fn) F32Load(offset uint32)  { f.op(0x2a); f.memarg(2, offset) }
func (f *fn) F32Store(offset uint32) { f.op(0x38); f.memarg(2, offset) }

// SIMD instructions: prefix 0xfd, then the opcode as a LEB128 u32.
func (f *fn) simd(op uint32)                { f.op(0xfd); f.u32(op) }
func (f *fn) V128Load(offset uint32)        { f.simd(0x00); f.memarg(2, offset) }
func (f *fn) V128Store(offset uint32)       { f.simd(0x0b); f.memarg(2, offset) }
func (f *fn) V128Load32Splat(offset uint32) { f.simd(0x09); f.memarg(2, offset) } // one f32 into all four lanes
func (f *fn) F32x4Splat()                   { f.simd(0x13) }
func (f *fn) F32x4ExtractLane(lane int)     { f.simd(0x1f); f.op(byte(lane)) }
func (f *fn) F32x4Add()                     { f.simd(0xe4) }
func (f *fn) F32x4Sub()                     { f.simd(0xe5) }
func (f *fn) F32x4Mul()                     { f.simd(0xe6) }
func (f *fn) F32x4Max()                     { f.simd(0xe9) }
func (f *fn) F32x4Min()                     { f.simd(0xe8) }
func (f *fn) F32x4Div()                     { f.simd(0xe7) }
func (f *fn) F32x4Abs()                     { f.simd(0xe0) }
func (f *fn) F32x4Lt()                      { f.simd(0x43) }
func (f *fn) I32x4Splat()                   { f.simd(0x11) }
func (f *fn) I32x4Add()                     { f.simd(0xae) }
func (f *fn) I32x4Shl()                     { f.simd(0xab) } // v128, i32 → v128
func (f *fn) I32x4TruncSatF32x4S()          { f.simd(0xf8) }
func (f *fn) V128Bitselect()                { f.simd(0x52) } // v1, v2, c → (v1 & c) | (v2 &^ c)

// Float64 pairs, and float32 pairs to and from them.
func (f *fn) F64x2PromoteLowF32x4()     { f.simd(0x5f) } // f32 lanes 0–1 → f64x2
func (f *fn) F32x4DemoteF64x2Zero()     { f.simd(0x5e) } // f64x2 → f32 lanes 0–1, zeros above
func (f *fn) F64x2Splat()               { f.simd(0x14) }
func (f *fn) F64x2ExtractLane(lane int) { f.simd(0x21); f.op(byte(lane)) }
func (f *fn) F64x2Add()                 { f.simd(0xf0) }
func (f *fn) F64x2Sub()                 { f.simd(0xf1) }
func (f *fn) F64x2Mul()                 { f.simd(0xf2) }

// I8x16Shuffle pops two vectors and pushes the 16 bytes that lanes picks
// from them (0–15 the first, 16–31 the second).
func (f *fn) I8x16Shuffle(lanes [16]byte) { f.simd(0x0d); f.op(lanes[:]...) }

// F32x4Const pushes the vector with c in every lane.
func (f *fn) F32x4Const(c float32) { f.F32Const(c); f.F32x4Splat() }

// V128Zero pushes the all-zero vector (v128.const 0).
func (f *fn) V128Zero() { f.simd(0x0c); f.op(make([]byte, 16)...) }

// Control flow. Block and Loop take a body; br and br_if count enclosing
// blocks outwards from 0, as in the binary format.
func (f *fn) Block(body func()) { f.op(0x02, 0x40); f.nest(body) }
func (f *fn) Loop(body func())  { f.op(0x03, 0x40); f.nest(body) }
func (f *fn) If(body func())    { f.op(0x04, 0x40); f.nest(body) }
func (f *fn) Br(depth uint32)   { f.op(0x0c); f.u32(depth) }
func (f *fn) Call(index uint32) { f.op(0x10); f.u32(index) }
func (f *fn) BrIf(depth uint32) { f.op(0x0d); f.u32(depth) }

func (f *fn) nest(body func()) {
	f.nesting++
	body()
	f.nesting--
	f.op(0x0b)
}

// While runs body as long as cond (which pushes an i32) is non-zero; the
// condition is tested before every iteration.
func (f *fn) While(cond, body func()) {
	f.Block(func() {
		f.Loop(func() {
			cond()
			f.I32Eqz()
			f.BrIf(1)
			body()
			f.Br(0)
		})
	})
}

// AddTo adds a constant to an i32 local.
func (f *fn) AddTo(l local, c int32) { f.Get(l); f.I32Const(c); f.I32Add(); f.Set(l) }

// AddLocal adds the i32 local d to the i32 local l.
func (f *fn) AddLocal(l, d local) { f.Get(l); f.Get(d); f.I32Add(); f.Set(l) }

func (f *fn) memarg(align, offset uint32) { f.u32(align); f.u32(offset) }
func (f *fn) u32(v uint32)                { f.code.Write(uleb(uint64(v))) }
func (f *fn) s32(v int32)                 { f.code.Write(sleb(int64(v))) }

// module assembles functions into a module that imports its memory as
// go.mem and exports every function under its name.
func module(fns []*fn) []byte {
	var out bytes.Buffer
	out.Write([]byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00})

	// Type section: one signature per function (no results), duplicates allowed.
	var types bytes.Buffer
	types.Write(uleb(uint64(len(fns))))
	for _, f := range fns {
		types.WriteByte(0x60)
		types.Write(uleb(uint64(len(f.params))))
		for _, p := range f.params {
			types.WriteByte(byte(p))
		}
		types.WriteByte(0) // no results
	}
	section(&out, 1, types.Bytes())

	// Import section: the Go instance's memory, limits {min 0, no max}.
	var imports bytes.Buffer
	imports.Write(uleb(1))
	name(&imports, "go")
	name(&imports, "mem")
	imports.Write([]byte{0x02, 0x00, 0x00})
	section(&out, 2, imports.Bytes())

	// Function section: function i has type i.
	var funcs bytes.Buffer
	funcs.Write(uleb(uint64(len(fns))))
	for i := range fns {
		funcs.Write(uleb(uint64(i)))
	}
	section(&out, 3, funcs.Bytes())

	var exports bytes.Buffer
	exports.Write(uleb(uint64(len(fns))))
	for i, f := range fns {
		name(&exports, f.name)
		exports.WriteByte(0x00)
		exports.Write(uleb(uint64(i)))
	}
	section(&out, 7, exports.Bytes())

	var code bytes.Buffer
	code.Write(uleb(uint64(len(fns))))
	for _, f := range fns {
		if f.nesting != 0 {
			panic("simd: " + f.name + ": unbalanced blocks")
		}
		var body bytes.Buffer
		// Locals are declared in runs of one type.
		var runs [][2]int
		for _, t := range f.locals {
			if n := len(runs); n > 0 && runs[n-1][1] == int(t) {
				runs[n-1][0]++
			} else {
				runs = append(runs, [2]int{1, int(t)})
			}
		}
		body.Write(uleb(uint64(len(runs))))
		for _, r := range runs {
			body.Write(uleb(uint64(r[0])))
			body.WriteByte(byte(r[1]))
		}
		body.Write(f.code.Bytes())
		body.WriteByte(0x0b) // end of the function
		code.Write(uleb(uint64(body.Len())))
		code.Write(body.Bytes())
	}
	section(&out, 10, code.Bytes())
	return out.Bytes()
}

func section(out *bytes.Buffer, id byte, content []byte) {
	out.WriteByte(id)
	out.Write(uleb(uint64(len(content))))
	out.Write(content)
}

func name(out *bytes.Buffer, s string) {
	out.Write(uleb(uint64(len(s))))
	out.WriteString(s)
}

func uleb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			c |= 0x80
		}
		b = append(b, c)
		if v == 0 {
			return b
		}
	}
}

func sleb(v int64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		done := (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0)
		if !done {
			c |= 0x80
		}
		b = append(b, c)
		if done {
			return b
		}
	}
}
