#pragma once
// RAII over GEOS's reentrant C API: one context per thread, geometries owned by unique_ptrs.

#include <memory>
#include <string>

// geos_c.h types, declared here so that users of this header need not include it.
struct GEOSContextHandle_HS;
struct GEOSGeom_t;

namespace cellvit::geos {

using Context = GEOSContextHandle_HS*;

// This thread's GEOS context, created on first use and finished when the thread ends. Its error handler keeps
// the last message (lastError) instead of printing it.
Context threadContext();
std::string lastError();

struct GeometryDeleter {
    void operator()(GEOSGeom_t* geometry) const;
};
using Geometry = std::unique_ptr<GEOSGeom_t, GeometryDeleter>;

} // namespace cellvit::geos
