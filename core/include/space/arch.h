// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>

namespace epsinas {

class SearchSpace;

/**
 * One architecture of one search space: the space and the space's own value (a cell, a spec, a recipe...), as one
 * immutable value that crosses every boundary (pipeline, store, CLI, scoring service) without those knowing the
 * space. Copies share the value, so an Arch is cheap to copy and safe to hand between threads.
 *
 * The space that made an Arch must outlive it; spaces live in the registry for the whole process.
 */
class Arch {
public:
    /** No architecture (empty() is true). */
    Arch() = default;

    template <typename Value>
    Arch(const SearchSpace& space, Value value)
        : m_space(&space)
        , m_value(std::make_shared<const Holder<Value>>(std::move(value)))
    {
    }

    bool empty() const { return m_space == nullptr; }
    /** The space of a non-empty Arch. */
    const SearchSpace& space() const
    {
        if (!m_space)
            throw std::logic_error("Arch::space() of an empty architecture");
        return *m_space;
    }
    /** Whether this holds a `Value` (the space's value type). */
    template <typename Value> bool holds() const { return m_value && m_value->type() == typeid(Value); }
    /** The space's value; throws std::logic_error when this holds another type (a programming error). */
    template <typename Value> const Value& value() const
    {
        if (!holds<Value>())
            throw std::logic_error(
                std::string("Arch::value(): the architecture does not hold a ") + typeid(Value).name());
        return static_cast<const Holder<Value>&>(*m_value).value;
    }

    /** Same space and equal values. */
    friend bool operator==(const Arch& a, const Arch& b)
    {
        if (a.m_space != b.m_space)
            return false;
        if (!a.m_value || !b.m_value)
            return a.m_value == b.m_value;
        return a.m_value == b.m_value || a.m_value->equals(*b.m_value);
    }
    friend bool operator!=(const Arch& a, const Arch& b) { return !(a == b); }

private:
    struct HolderBase {
        virtual ~HolderBase() = default;
        virtual const std::type_info& type() const = 0;
        virtual bool equals(const HolderBase& other) const = 0;
    };
    template <typename Value> struct Holder final : HolderBase {
        explicit Holder(Value held)
            : value(std::move(held))
        {
        }
        const std::type_info& type() const override { return typeid(Value); }
        bool equals(const HolderBase& other) const override
        {
            return other.type() == typeid(Value) && static_cast<const Holder&>(other).value == value;
        }
        Value value;
    };

    const SearchSpace* m_space = nullptr;
    std::shared_ptr<const HolderBase> m_value;
};

/** An architecture with the name a file or a benchmark gives it (e.g. a recepie_id); empty when it has none. */
struct NamedArch {
    std::string id;
    Arch arch;
};

} // namespace epsinas
