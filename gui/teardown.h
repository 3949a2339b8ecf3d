// SPDX-License-Identifier: MIT
#pragma once

class QObject;

namespace epsinas::gui {

/**
 * Disconnects every signal of `owner`'s children (at any depth) from `owner`'s slots and lambdas.
 *
 * QWidget's destructor hides the widget, and hiding emits its children's signals: a focused line edit's
 * editingFinished, a dock's visibilityChanged. By then the derived class's members are destroyed, yet Qt
 * disconnects the derived class's slots only later, in QObject's destructor, so such a slot would run on a
 * half-destroyed object (UBSan reports it; a slot that edits would use freed members). A widget whose children
 * can emit while it is hidden calls this first in its destructor.
 */
void disconnectChildren(QObject* owner);

} // namespace epsinas::gui
