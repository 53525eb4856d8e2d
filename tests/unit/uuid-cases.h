/*
 * uuid-cases.h: UUID texts and whether libvirt's virUUIDParse takes them,
 * shared by the tests of the core's parser (host->uuidParse) and conf's
 * (virtkitUUIDParse): one parser, one table.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

static const struct {
    const char *text;
    int ok;
} uuid_cases[] = {
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa0", 1 },
    { "4dea22b31d52d8f32516782e98ab3fa0", 1 },
    { "4DEA22B3-1D52-D8F3-2516-782E98AB3FA0", 1 },
    { " \t\n4dea22b3-1d52-d8f3-2516-782e98ab3fa0", 1 },   /* any leading whitespace */
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa0 \t\n", 1 },   /* any trailing whitespace */
    { "4d ea 22 b3 1d 52 d8 f3 25 16 78 2e 98 ab 3f a0", 1 }, /* spaces between pairs */
    { "4d-ea-22-b3--1d52d8f3-2516782e98ab3fa0", 1 },      /* dashes anywhere between pairs */
    { "-4dea22b3-1d52-d8f3-2516-782e98ab3fa0", 1 },       /* even before the first */
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa0-", 0 },       /* but not after the last */
    { "4d\tea22b3-1d52-d8f3-2516-782e98ab3fa0", 0 },      /* a tab is not a separator */
    { "4-dea22b3-1d52-d8f3-2516-782e98ab3fa0", 0 },       /* nor inside a pair */
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa", 0 },         /* 31 digits */
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa0ff", 0 },      /* 34 digits */
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fa0 x", 0 },
    { "4dea22b3-1d52-d8f3-2516-782e98ab3fg0", 0 },
    { "", 0 },
    { "   ", 0 },
};
