package sim

import (
	"math"

	"rlhfplayground/sim/kernels"
)

// Float32 fast paths of the transcendental functions. math.Exp and math.Tanh
// work in float64 and, compiled to WebAssembly, cost a call chain each
// (exp, expmulti, ldexp); in the float32 model they were a quarter of a PPO
// iteration. expf needs a handful of float32 operations and is accurate to
// about 1 ulp of float32 (TestExpf), so the float32 model keeps its results
// up to float32 rounding. The float64 model (the gradient checks) keeps
// math.Exp and math.Tanh.

// expSlice replaces every x[i] by e^x[i] in float32: x = n·ln2 + r with
// |r| ≤ ln2/2 (ln2 split in two so that n·ln2Hi is exact), eʳ from Cephes'
// polynomial (expf.c, S. L. Moshier), and 2ⁿ from a table.
// Outside [-87, 88], where 2ⁿ would leave the normal range, and for NaN it
// defers to math.Exp. It works on a slice because a Go function call costs,
// under wasm, about as much as the polynomial: the hot loops fill a buffer
// with arguments and make one call.
func expSlice(x []float32) {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375 // 8 significant bits: n·ln2Hi is exact for |n| < 2¹⁶
		ln2Lo = -2.12194440e-4
		round = 12582912 // 1.5·2²³: adding it and taking it away rounds to an integer
	)
	for i, v := range x {
		if !(v >= -87 && v <= 88) {
			x[i] = float32(math.Exp(float64(v)))
			continue
		}
		t := v*log2e + round
		n := t - round
		r := v - n*ln2Hi - n*ln2Lo
		p := float32(1.9875691500e-4)
		p = p*r + 1.3981999507e-3
		p = p*r + 8.3334519073e-3
		p = p*r + 4.1665795894e-2
		p = p*r + 1.6666665459e-1
		p = p*r + 5.0000001201e-1
		p = p*r*r + r + 1
		x[i] = p * pow2[int(n)+126] // n is an integer in [-126, 127]
	}
}

// expNonPositive is expSlice for arguments x ≤ 0 (and NaN), as the
// softmaxes have: a prefix goes to the kernel set's Exp (AVX2, or the SIMD
// module under wasm, which repeat expSlice's arithmetic) and the rest to
// expSlice. The kernels clamp the argument at −87, so an entry below it
// comes out as e⁻⁸⁷ ≈ 1.65e-38 instead of a smaller number: nothing that a
// sum of exponentials, one of which is 1, can tell apart.
func expNonPositive(x []float32) {
	n := kernels.Exp(x)
	expSlice(x[n:])
}

// pow2[n+126] is 2ⁿ for n in [-126, 127], the normal float32 powers of two.
// Under wasm a table lookup is cheaper than building 2ⁿ from bits, which
// goes through memory (math.Float32frombits).
var pow2 = func() (p [254]float32) {
	for i := range p {
		p[i] = float32(math.Ldexp(1, i-126))
	}
	return p
}()

// expf returns eˣ in float32 (expSlice on one value).
func expf(x float32) float32 {
	s := [1]float32{x}
	expSlice(s[:])
	return s[0]
}

// chunk is the length of the stack buffers that the float32 GELU fills with
// arguments of expSlice.
const chunk = 128

// GELU with the tanh approximation, gelu(x) = ½x·(1 + tanh u) with
// u = √(2/π)·(x + 0.044715x³), in float32 through one expf: with
// e = exp(−2|u|) ∈ (0, 1], tanh|u| = (1 − e)/(1 + e), so
//
//	½(1 + tanh u) = 1/(1+e) if u ≥ 0, else e/(1+e)
//	1 − tanh² u   = 4e/(1+e)²
//
// neither of which cancels or overflows for any u.

// geluForward32 is geluForward for float32. u has the sign of x.
func geluForward32(out, inp []float32) {
	out = out[:len(inp)]
	var buf [chunk]float32
	for lo := 0; lo < len(inp); lo += chunk {
		xs, o := inp[lo:min(lo+chunk, len(inp))], out[lo:min(lo+chunk, len(inp))]
		e := buf[:len(xs)]
		for i, x := range xs {
			e[i] = -2 * abs32(x) * (geluScale + geluScale*0.044715*x*x) // −2|u|
		}
		expSlice(e)
		for i, x := range xs {
			s := 1 / (1 + e[i])
			if x < 0 {
				s *= e[i]
			}
			o[i] = x * s
		}
	}
}

// geluBackward32 is geluBackward for float32.
func geluBackward32(dinp, inp, dout []float32) {
	dinp, dout = dinp[:len(inp)], dout[:len(inp)]
	var buf [chunk]float32
	for lo := 0; lo < len(inp); lo += chunk {
		hi := min(lo+chunk, len(inp))
		xs, di, do := inp[lo:hi], dinp[lo:hi], dout[lo:hi]
		e := buf[:len(xs)]
		for i, x := range xs {
			e[i] = -2 * abs32(x) * (geluScale + geluScale*0.044715*x*x) // −2|u|
		}
		expSlice(e)
		for i, x := range xs {
			r := 1 / (1 + e[i])
			s := r
			if x < 0 {
				s *= e[i]
			}
			// ½x·sech²u·du/dx = ½x·4e·r²·√(2/π)·(1 + 3·0.044715x²)
			grad := s + 2*x*e[i]*r*r*(geluScale+geluScale*3*0.044715*x*x)
			di[i] += grad * do[i]
		}
	}
}

// abs32 is |x| without math.Float32bits, which goes through memory under wasm.
func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
