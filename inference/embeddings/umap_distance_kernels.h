#pragma once
// Distance kernels for the hnswlib index, compiled for AVX2+FMA as well as baseline x86-64 and picked at run time
// (GCC target_clones): hnswlib's own kernels are fixed at compile time, i.e. SSE only in a portable build.
// Signature of hnswlib::DISTFUNC<float>; param points to the dimension (std::size_t). hnswlib itself is not
// included here: its headers define non-inline functions and may be included by one translation unit only.

namespace cellvit {

float umapSquaredL2(const void* a, const void* b, const void* dimension);
float umapOneMinusDot(const void* a, const void* b, const void* dimension);

} // namespace cellvit
