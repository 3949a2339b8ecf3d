// SPDX-License-Identifier: MIT
#pragma once

#include "score/options.h"
#include "scoreresult.h"

#include <QHash>
#include <QString>
#include <QWidget>

#include <vector>

class QAction;

namespace epsinas::gui {

/**
 * What the main window knows of a space's editor: it owns one architecture, changes it only through undoable edits,
 * and announces every user edit once with archEdited. A draft may break a rule of its space while it is being built
 * (a cell without an input -> output path, a recipe with a cycle): problem() then names the rule, and
 * arch() is the draft's architecture where the space can hold it, or empty where it cannot.
 *
 * Each space's editor lives in gui/spaces/<space>/ and is made by createEditor() (gui/spaces/spaceeditors.cpp).
 */
/** A teaching example: an architecture that tells one part of the story, with a short caption. */
struct TeachingExample {
    QString title;
    /** One short sentence: what the example shows (e.g. "NaN: every path underflows at w_lo"). */
    QString caption;
    Arch arch;
    /** The precision it is meant to be scored in; float64 departs from the reference and says so. */
    Precision precision = Precision::Float32;
};

class ArchEditor : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    /** The space whose architectures this edits. */
    virtual const SearchSpace& space() const = 0;
    /** The architecture shown; empty while a draft the space cannot hold breaks a rule (see problem()). */
    virtual Arch arch() const = 0;
    /** Why the shown draft cannot be scored, in one sentence; empty for an architecture that can. */
    virtual QString problem() const = 0;

    /** Shows `arch` (of space()) without an undo step or a signal: start-up, restoring a session. */
    virtual void setArch(const Arch& arch) = 0;
    /** Makes `arch` current as the undoable edit `description`; emits archEdited when it differs. */
    virtual void editArch(const Arch& arch, const QString& description) = 0;
    /**
     * The benchmark's own ids of the architectures of a loaded table (BenchmarkData::ids, by SearchSpace::tableKey),
     * shown with the architecture where the benchmark numbers them; empty: no table has them.
     */
    virtual void setBenchmarkIds(const QHash<QString, QString>& idByKey) { Q_UNUSED(idByKey); }

    /**
     * The editor's actions for the Edit menu, in order, null entries separating groups: undo and redo, copy and
     * paste, random, and whatever else the space offers. The main window shows them only while the editor is shown,
     * so that their shortcuts reach the editor in view.
     */
    virtual std::vector<QAction*> editActions() const = 0;
    /**
     * The editor's actions for a View menu (its graph's Zoom In, Zoom Out and Fit); their shortcuts work while the
     * focus is in the editor. Empty for an editor without any.
     */
    virtual std::vector<QAction*> viewActions() const { return {}; }
    /** The architectures of Teaching → Examples for this space, in the order a lesson takes them. */
    virtual std::vector<TeachingExample> teachingExamples() const { return {}; }

Q_SIGNALS:
    /** A user edit changed the architecture (or the draft); `arch` is arch() after it. */
    void archEdited(const epsinas::Arch& arch);
};

} // namespace epsinas::gui
