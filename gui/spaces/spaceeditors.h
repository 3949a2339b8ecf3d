// SPDX-License-Identifier: MIT
#pragma once

class QWidget;

namespace epsinas {
class SearchSpace;
}

namespace epsinas::gui {

class ArchEditor;

/**
 * A new editor for the architectures of `space`, owned by `parent` (its graph editor in gui/spaces/<space>/), or
 * nullptr for a space without one: the explorer offers only the spaces it can edit.
 */
ArchEditor* createEditor(const SearchSpace& space, QWidget* parent);

} // namespace epsinas::gui
