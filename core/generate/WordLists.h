#pragma once

#include <QByteArrayView>

#include <cstddef>

namespace kwb::generate {

/// A fixed list of words the helpers pick from. The lists are compiled in (WordLists.cpp says
/// where each comes from and under which licence); every entry is printable ASCII without
/// quotes or backslashes, so helpers that pick from them need no escaping.
struct WordList
{
    const char *const *words;
    size_t size;

    QByteArrayView at(size_t i) const { return QByteArrayView(words[i]); }
};

namespace words {
extern const WordList firstNames;
extern const WordList lastNames;
extern const WordList namePrefixes;
extern const WordList nameSuffixes;
extern const WordList jobLevels;
extern const WordList jobAreas;
extern const WordList jobTypes;
extern const WordList lorem;
extern const WordList domainSuffixes;
extern const WordList freeEmailDomains;
extern const WordList cities;
extern const WordList states;
extern const WordList stateAbbreviations;
extern const WordList countries;
extern const WordList countryCodes;
extern const WordList streetSuffixes;
extern const WordList streetNames;
extern const WordList userAgents;
extern const WordList httpMethods;
extern const WordList productAdjectives;
extern const WordList productMaterials;
extern const WordList products;
extern const WordList departments;
extern const WordList colors;
extern const WordList companySuffixes;
extern const WordList monthNames;
extern const WordList weekdayNames;
} // namespace words

} // namespace kwb::generate
