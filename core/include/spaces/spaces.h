// SPDX-License-Identifier: MIT
#pragma once

#include "space/registry.h"

namespace epsinas {

/** The process-wide registry, holding the built-in search spaces (core/spaces/spaces.cpp lists them). */
SpaceRegistry& spaceRegistry();

} // namespace epsinas
