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

QColor lowWeightColour()
{
    return QColor(35, 90, 190);
}

QColor highWeightColour()
{
    return QColor(224, 123, 0);
}

} // namespace epsinas::gui
