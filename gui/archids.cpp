// SPDX-License-Identifier: MIT
#include "archids.h"

#include "space/searchspace.h"

namespace epsinas::gui {

void ArchIds::setArchs(const std::vector<NamedArch>& archs)
{
    m_archs = archs;
    m_firstId.clear();
    for (const NamedArch& named : m_archs) {
        if (named.id.empty() || !named.arch.space().labelsRowsById())
            continue;
        const QString key = keyOf(named.arch);
        if (!m_firstId.contains(key))
            m_firstId.insert(key, QString::fromStdString(named.id));
    }
}

void ArchIds::pick(const Arch& arch, const QString& id)
{
    m_pickedKey = arch.empty() ? QString() : keyOf(arch);
    m_pickedId = id;
}

QString ArchIds::idOf(const Arch& arch) const
{
    if (arch.empty() || !arch.space().labelsRowsById())
        return {};
    const QString key = keyOf(arch);
    if (!m_pickedId.isEmpty() && key == m_pickedKey)
        return m_pickedId;
    return m_firstId.value(key);
}

QString ArchIds::keyOf(const Arch& arch)
{
    return QString::fromStdString(arch.space().identityKey(arch));
}

} // namespace epsinas::gui
