// SPDX-License-Identifier: MIT
#pragma once

#include "opstyle.h"
#include "spaces/nb201/cell.h"

#include <QIcon>

namespace epsinas::gui {

/** How an NB201 op looks on the graph's edges and in the palette. */
OpStyle opStyle(nb201::Op op);
/** A short line in the op's colour and dash, for menus and the palette. */
QIcon opSwatch(nb201::Op op);

} // namespace epsinas::gui
