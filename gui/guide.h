// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

namespace epsinas {
class SearchSpace;
}

namespace epsinas::gui {

/** A menu command and its key, as the guide lists them. */
struct Shortcut {
    QString command;
    QString keys;
};

/**
 * The explorer's guide (Help → Guide) as HTML: the metric in five sentences, what each view shows, how to load data
 * for each of `spaces`, and `shortcuts` (taken from the live menus, so the list cannot go stale).
 */
QString guideHtml(const QList<Shortcut>& shortcuts, const QList<const SearchSpace*>& spaces);

} // namespace epsinas::gui
