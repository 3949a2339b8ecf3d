// SPDX-License-Identifier: MIT
#pragma once

#include "space/arch.h"

#include <QHash>
#include <QString>

#include <vector>

namespace epsinas::gui {

/**
 * The benchmark ids of the architectures a table or a file named, for spaces that label rows by id
 * (SearchSpace::labelsRowsById). A benchmark may have trained one architecture under several ids (NAS-Bench-NLP's
 * duplicate recipes), each a data point of its own: an architecture picked from the table or the scatter keeps the
 * id it was picked under for as long as it stays the edited one; otherwise it is known under its first id.
 */
class ArchIds {
public:
    /** Makes `archs` the named architectures; ids of spaces that do not label rows by id are ignored. */
    void setArchs(const std::vector<NamedArch>& archs);
    const std::vector<NamedArch>& archs() const { return m_archs; }
    /** Remembers that `arch` was picked under `id`; an empty id leaves it to its first id. */
    void pick(const Arch& arch, const QString& id);
    /** The id `arch` is known under: the one it was picked under, else its first id, else empty. */
    QString idOf(const Arch& arch) const;

private:
    static QString keyOf(const Arch& arch);

    std::vector<NamedArch> m_archs;
    QHash<QString, QString> m_firstId;
    QString m_pickedKey;
    QString m_pickedId;
};

} // namespace epsinas::gui
