// SPDX-License-Identifier: MIT
#pragma once

#include "opstyle.h"
#include "spaces/nlp/recipe.h"

#include <QIcon>

namespace epsinas::gui {

/** A NAS-Bench-NLP node op: its colour fills and outlines the node; the label is what the graph writes in the node. */
OpStyle opStyle(nlp::Op op);
/** A small chip filled like the op's nodes, for the NLP editor's op combo and menus. */
QIcon opSwatch(nlp::Op op);

} // namespace epsinas::gui
