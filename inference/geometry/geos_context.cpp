#include "inference/geometry/geos_context.h"

#include <geos_c.h>

#include <cstdarg>
#include <cstdio>

namespace cellvit::geos {
namespace {

thread_local std::string t_lastError;

void keepMessage(const char* message, void*)
{
    t_lastError = message ? message : "";
}

struct ThreadContext {
    ThreadContext()
        : handle(GEOS_init_r())
    {
        GEOSContext_setErrorMessageHandler_r(handle, keepMessage, nullptr);
        GEOSContext_setNoticeMessageHandler_r(handle, nullptr, nullptr);
    }
    ~ThreadContext() { GEOS_finish_r(handle); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;
    GEOSContextHandle_t handle;
};

} // namespace

Context threadContext()
{
    thread_local ThreadContext context;
    return context.handle;
}

std::string lastError()
{
    return t_lastError;
}

void GeometryDeleter::operator()(GEOSGeom_t* geometry) const
{
    if (geometry)
        GEOSGeom_destroy_r(threadContext(), geometry);
}

} // namespace cellvit::geos
