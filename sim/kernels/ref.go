package kernels

// Float is the element type of the reference kernels: float32 for the app,
// float64 for gradient checks.
type Float interface{ ~float32 | ~float64 }

func checkLen(name string, got, want int) {
	if got < want {
		panic("kernels: " + name + ": slice too short")
	}
}

// RefMatMul computes dst (M,N) += a (M,K) · b (K,N) with three plain loops.
func RefMatMul[T Float](dst, a, b []T, M, K, N int) {
	checkLen("RefMatMul dst", len(dst), M*N)
	checkLen("RefMatMul a", len(a), M*K)
	checkLen("RefMatMul b", len(b), K*N)
	for i := 0; i < M; i++ {
		for j := 0; j < N; j++ {
			var sum T
			for k := 0; k < K; k++ {
				sum += a[i*K+k] * b[k*N+j]
			}
			dst[i*N+j] += sum
		}
	}
}

// RefMatMulTransB computes dst (M,N) += a (M,K) · bᵀ where b is (N,K).
func RefMatMulTransB[T Float](dst, a, b []T, M, K, N int) {
	checkLen("RefMatMulTransB dst", len(dst), M*N)
	checkLen("RefMatMulTransB a", len(a), M*K)
	checkLen("RefMatMulTransB b", len(b), N*K)
	for i := 0; i < M; i++ {
		for j := 0; j < N; j++ {
			var sum T
			for k := 0; k < K; k++ {
				sum += a[i*K+k] * b[j*K+k]
			}
			dst[i*N+j] += sum
		}
	}
}

// RefMatMulTransA computes dst (M,N) += aᵀ · b where a is (K,M) and b (K,N).
func RefMatMulTransA[T Float](dst, a, b []T, M, K, N int) {
	checkLen("RefMatMulTransA dst", len(dst), M*N)
	checkLen("RefMatMulTransA a", len(a), K*M)
	checkLen("RefMatMulTransA b", len(b), K*N)
	for i := 0; i < M; i++ {
		for j := 0; j < N; j++ {
			var sum T
			for k := 0; k < K; k++ {
				sum += a[k*M+i] * b[k*N+j]
			}
			dst[i*N+j] += sum
		}
	}
}
