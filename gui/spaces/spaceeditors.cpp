// SPDX-License-Identifier: MIT
// The one place that lists the spaces' editors: a space with an editor of its own adds one line here.
#include "spaces/spaceeditors.h"

#include "spaces/nb101/nb101editor.h"
#include "spaces/nb201/celleditor.h"
#include "spaces/nlp/nlpeditor.h"

namespace epsinas::gui {

ArchEditor* createEditor(const SearchSpace& space, QWidget* parent)
{
    if (&space == &nb201::space())
        return new CellEditor(parent);
    if (&space == &nb101::space())
        return new Nb101Editor(parent);
    if (&space == &nlp::space())
        return new NlpEditor(parent);
    return nullptr;
}

} // namespace epsinas::gui
