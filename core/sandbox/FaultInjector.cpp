#include "sandbox/FaultInjector.h"

#include "sandbox/SandboxOptions.h"

namespace kwb::sandbox {

bool FaultInjector::chance(double rate)
{
    if (rate <= 0)
        return false;
    if (rate >= 1)
        return true;
    // 53 random bits as a double in [0, 1): the same on every platform, unlike the
    // standard distributions, whose algorithms the standard leaves open.
    const double u = double(m_random() >> 11) * 0x1.0p-53;
    return u < rate;
}

FaultInjector::RequestFault FaultInjector::requestFault(const SandboxOptions &options)
{
    if (chance(options.dropConnectionRate))
        return RequestFault::Drop;
    if (chance(options.internalErrorRate))
        return RequestFault::InternalError;
    if (chance(options.unavailableRate))
        return RequestFault::Unavailable;
    return RequestFault::None;
}

} // namespace kwb::sandbox
