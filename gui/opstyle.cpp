// SPDX-License-Identifier: MIT
#include "opstyle.h"

namespace epsinas::gui {

QColor liveInk()
{
    return QColor(50, 55, 65);
}

QColor inactiveInk()
{
    return QColor(175, 178, 184);
}

} // namespace epsinas::gui
