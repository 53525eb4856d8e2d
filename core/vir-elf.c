/*
 * vir-elf.c: the names an ELF shared object exports (vk-elf.h).
 *
 * libltdl can resolve a name but cannot list a module's names, so the
 * loader reads the dynamic symbol table from the file.  Every field is read
 * through one bounds-checked accessor that knows the file's class (32 or
 * 64 bits) and byte order, so a 32-bit port reads its plugins as a 64-bit
 * build does, and a table that points outside the file ends the scan.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "vk-elf.h"

typedef struct {
    const guint8 *base;
    guint64 len;
    bool is64;
    bool big_endian;
} vkElfFile;

/* A field of an <elf.h> struct of either class: its offset and width. */
#define VK_ELF_FIELD_OF(file, kind, member) \
    ((file)->is64 ? offsetof(Elf64_##kind, member) : offsetof(Elf32_##kind, member)), \
    ((file)->is64 ? sizeof(((Elf64_##kind *)0)->member) : sizeof(((Elf32_##kind *)0)->member))

/* Reads the unsigned field of @width bytes at @at + @off; false when it
 * lies outside the file. */
static bool
vkElfRead(const vkElfFile *f, guint64 at, size_t off, size_t width, guint64 *out)
{
    guint64 v = 0;

    if (at > f->len || off > f->len - at || width > f->len - at - off)
        return false;
    for (size_t i = 0; i < width; i++) {
        size_t b = f->big_endian ? i : width - 1 - i;
        v = (v << 8) | f->base[at + off + b];
    }
    *out = v;
    return true;
}

static bool
vkElfOpen(vkElfFile *f, const guint8 *base, gsize len)
{
    f->base = base;
    f->len = len;
    if (len < EI_NIDENT || memcmp(base, ELFMAG, SELFMAG) != 0)
        return false;
    if (base[EI_CLASS] != ELFCLASS32 && base[EI_CLASS] != ELFCLASS64)
        return false;
    if (base[EI_DATA] != ELFDATA2LSB && base[EI_DATA] != ELFDATA2MSB)
        return false;
    f->is64 = base[EI_CLASS] == ELFCLASS64;
    f->big_endian = base[EI_DATA] == ELFDATA2MSB;
    return true;
}

/* Appends to @out the exported names of the dynamic symbol table that
 * section header @sh describes; false when the table or its strings lie
 * outside the file. */
static bool
vkElfScanDynsym(const vkElfFile *f, guint64 shoff, guint64 shentsize, guint64 shnum,
                guint64 sh, const char *keep, GString *out)
{
    guint64 link, off, size, str_hdr, str_off, str_size;
    size_t symsize = f->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);

    if (!vkElfRead(f, sh, VK_ELF_FIELD_OF(f, Shdr, sh_link), &link) || link >= shnum ||
        !vkElfRead(f, sh, VK_ELF_FIELD_OF(f, Shdr, sh_offset), &off) ||
        !vkElfRead(f, sh, VK_ELF_FIELD_OF(f, Shdr, sh_size), &size))
        return false;
    str_hdr = shoff + link * shentsize;
    if (!vkElfRead(f, str_hdr, VK_ELF_FIELD_OF(f, Shdr, sh_offset), &str_off) ||
        !vkElfRead(f, str_hdr, VK_ELF_FIELD_OF(f, Shdr, sh_size), &str_size) ||
        off > f->len || size > f->len - off || str_off > f->len || str_size > f->len - str_off)
        return false;

    for (guint64 k = 0; k < size / symsize; k++) {
        guint64 sym = off + k * symsize, name, info, shndx;
        int bind, type;
        const char *nm;

        if (!vkElfRead(f, sym, VK_ELF_FIELD_OF(f, Sym, st_name), &name) ||
            !vkElfRead(f, sym, VK_ELF_FIELD_OF(f, Sym, st_info), &info) ||
            !vkElfRead(f, sym, VK_ELF_FIELD_OF(f, Sym, st_shndx), &shndx))
            return false;
        /* the bind and type halves of st_info are the same in both classes */
        bind = ELF32_ST_BIND(info);
        type = ELF32_ST_TYPE(info);
        if (shndx == SHN_UNDEF || name >= str_size || (bind != STB_GLOBAL && bind != STB_WEAK) ||
            (type != STT_FUNC && type != STT_OBJECT))
            continue;
        nm = (const char *)f->base + str_off + name;
        if (strnlen(nm, str_size - name) == str_size - name)
            continue;   /* not terminated inside its table */
        if (nm[0] == '_' || (keep && strcmp(nm, keep) == 0))
            continue;
        g_string_append_printf(out, "%s%s", out->len ? ", " : "", nm);
    }
    return true;
}

char *
vkElfExtraExports(const char *path, const char *keep)
{
    g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, NULL);
    g_autoptr(GString) extra = g_string_new(NULL);
    vkElfFile f;
    guint64 shoff, shentsize, shnum;

    if (!map || !vkElfOpen(&f, (const guint8 *)g_mapped_file_get_contents(map),
                           g_mapped_file_get_length(map)))
        return NULL;
    if (!vkElfRead(&f, 0, VK_ELF_FIELD_OF(&f, Ehdr, e_shoff), &shoff) ||
        !vkElfRead(&f, 0, VK_ELF_FIELD_OF(&f, Ehdr, e_shentsize), &shentsize) ||
        !vkElfRead(&f, 0, VK_ELF_FIELD_OF(&f, Ehdr, e_shnum), &shnum) || !shoff || shoff > f.len ||
        shentsize != (f.is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
        return NULL;
    for (guint64 i = 0; i < shnum; i++) {
        guint64 sh = shoff + i * shentsize, type;

        if (!vkElfRead(&f, sh, VK_ELF_FIELD_OF(&f, Shdr, sh_type), &type))
            break;
        if (type == SHT_DYNSYM && !vkElfScanDynsym(&f, shoff, shentsize, shnum, sh, keep, extra))
            break;
    }
    return extra->len ? g_string_free(g_steal_pointer(&extra), FALSE) : NULL;
}
