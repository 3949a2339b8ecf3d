// SPDX-License-Identifier: MIT
#include "teardown.h"

#include <QObject>

namespace epsinas::gui {

void disconnectChildren(QObject* owner)
{
    const QList<QObject*> children = owner->findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(owner);
}

} // namespace epsinas::gui
