#pragma once
// Cooperative cancellation of a forward pass. LibTorch cannot stop inside an operation, so the network asks
// a caller-supplied check between its stages (encoder blocks, decoder convolutions): on a CPU one 1024² pass
// takes tens of seconds, but no single stage takes more than a fraction of a second.

#include "model_zoo/cellvit_error.h"

#include <functional>

namespace cellvit {

// Returns true once the caller wants the pass to stop. Called from the thread running the pass; an empty
// function means "never" and costs nothing.
using CancellationCheck = std::function<bool()>;

// Thrown by a forward pass whose CancellationCheck fired: the pass produced no output.
class InferenceCancelled : public Cancelled {
public:
    const char* what() const noexcept override { return "inference cancelled"; }
};

inline void throwIfCancelled(const CancellationCheck& isCancelled)
{
    if (isCancelled && isCancelled())
        throw InferenceCancelled();
}

} // namespace cellvit
