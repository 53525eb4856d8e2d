/*
 * test-elf.c: the loader's export scan (core/vir-elf.c) on ELF objects of
 * both classes and both byte orders, and on damaged ones.
 *
 * The objects are written here, field by field at the offsets <elf.h>
 * gives, rather than by a cross toolchain: a 64-bit build has no 32-bit
 * linker to count on, and a damaged object is easier to make by hand.
 * Each has a .dynsym of eight entries, of which two must be reported:
 * the entry point, a '_' name, an undefined name, a local function, a
 * section symbol and the null entry are not exports to warn about.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vk-elf.h"

#define ENTRY "virtkitPluginEntry"
#define EXPECTED "helperFunc, helperVar"

#define FIELD(is64, kind, member) \
    ((is64) ? offsetof(Elf64_##kind, member) : offsetof(Elf32_##kind, member)), \
    ((is64) ? sizeof(((Elf64_##kind *)0)->member) : sizeof(((Elf32_##kind *)0)->member))

typedef struct {
    bool is64;
    bool big;
    GByteArray *img;
    /* where things landed, for the damage cases */
    gsize shoff, sym_hdr, str_hdr, symtab, strtab, strtab_len;
} Image;

static void
put(Image *m, gsize at, gsize off, gsize width, guint64 v)
{
    g_assert_cmpuint(at + off + width, <=, m->img->len);
    for (gsize i = 0; i < width; i++) {
        gsize b = m->big ? width - 1 - i : i;
        m->img->data[at + off + b] = (guint8)(v >> (8 * i));
    }
}

static gsize
grow(Image *m, gsize n)
{
    gsize at = m->img->len;

    g_byte_array_set_size(m->img, at + n);
    memset(m->img->data + at, 0, n);
    return at;
}

static void
putSym(Image *m, gsize at, guint32 name, int bind, int type, guint16 shndx)
{
    put(m, at, FIELD(m->is64, Sym, st_name), name);
    put(m, at, FIELD(m->is64, Sym, st_info), ELF32_ST_INFO(bind, type));
    put(m, at, FIELD(m->is64, Sym, st_shndx), shndx);
}

/* Header, then .dynstr, .dynsym and three section headers (null, dynsym,
 * dynstr) in that order. */
static void
imageBuild(Image *m, bool is64, bool big)
{
    static const char strs[] = "\0" ENTRY "\0helperFunc\0helperVar\0_init\0undefd\0localSym";
    gsize ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    gsize shsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
    gsize symsize = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
    guint32 n_entry = 1, n_func = n_entry + sizeof(ENTRY), n_var = n_func + 11,
            n_init = n_var + 10, n_undef = n_init + 6, n_local = n_undef + 7;

    memset(m, 0, sizeof(*m));
    m->is64 = is64;
    m->big = big;
    m->img = g_byte_array_new();
    grow(m, ehsize);
    memcpy(m->img->data, ELFMAG, SELFMAG);
    m->img->data[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
    m->img->data[EI_DATA] = big ? ELFDATA2MSB : ELFDATA2LSB;
    m->img->data[EI_VERSION] = EV_CURRENT;
    put(m, 0, FIELD(is64, Ehdr, e_type), ET_DYN);

    m->strtab_len = sizeof(strs);
    m->strtab = grow(m, m->strtab_len);
    memcpy(m->img->data + m->strtab, strs, m->strtab_len);

    m->symtab = grow(m, 8 * symsize);
    /* [0] is the null symbol */
    putSym(m, m->symtab + 1 * symsize, n_entry, STB_GLOBAL, STT_FUNC, 5);
    putSym(m, m->symtab + 2 * symsize, n_func, STB_GLOBAL, STT_FUNC, 5);
    putSym(m, m->symtab + 3 * symsize, n_init, STB_GLOBAL, STT_FUNC, 5);
    putSym(m, m->symtab + 4 * symsize, n_undef, STB_GLOBAL, STT_FUNC, SHN_UNDEF);
    putSym(m, m->symtab + 5 * symsize, n_local, STB_LOCAL, STT_FUNC, 5);
    putSym(m, m->symtab + 6 * symsize, 0, STB_LOCAL, STT_SECTION, 5);
    putSym(m, m->symtab + 7 * symsize, n_var, STB_WEAK, STT_OBJECT, 6);

    m->shoff = grow(m, 3 * shsize);
    m->sym_hdr = m->shoff + shsize;
    m->str_hdr = m->shoff + 2 * shsize;
    put(m, m->sym_hdr, FIELD(is64, Shdr, sh_type), SHT_DYNSYM);
    put(m, m->sym_hdr, FIELD(is64, Shdr, sh_link), 2);
    put(m, m->sym_hdr, FIELD(is64, Shdr, sh_offset), m->symtab);
    put(m, m->sym_hdr, FIELD(is64, Shdr, sh_size), 8 * symsize);
    put(m, m->sym_hdr, FIELD(is64, Shdr, sh_entsize), symsize);
    put(m, m->str_hdr, FIELD(is64, Shdr, sh_type), SHT_STRTAB);
    put(m, m->str_hdr, FIELD(is64, Shdr, sh_offset), m->strtab);
    put(m, m->str_hdr, FIELD(is64, Shdr, sh_size), m->strtab_len);

    put(m, 0, FIELD(is64, Ehdr, e_shoff), m->shoff);
    put(m, 0, FIELD(is64, Ehdr, e_ehsize), ehsize);
    put(m, 0, FIELD(is64, Ehdr, e_shentsize), shsize);
    put(m, 0, FIELD(is64, Ehdr, e_shnum), 3);
}

/* Writes @len bytes of @m to a file and scans it. */
static char *
scan(Image *m, gsize len)
{
    g_autofree char *dir = g_dir_make_tmp("vk-elf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "module.so", NULL);
    char *ret;

    g_assert_true(g_file_set_contents(path, (const char *)m->img->data, len, NULL));
    ret = vkElfExtraExports(path, ENTRY);
    g_unlink(path);
    g_rmdir(dir);
    return ret;
}

static void
test_classes(gconstpointer data)
{
    int which = GPOINTER_TO_INT(data);
    Image m;
    g_autofree char *got = NULL;

    imageBuild(&m, which & 1, which & 2);
    got = scan(&m, m.img->len);
    g_assert_cmpstr(got, ==, EXPECTED);
    /* the entry point is not "extra"; without it to skip, it is listed */
    {
        g_autofree char *dir = g_dir_make_tmp("vk-elf-XXXXXX", NULL);
        g_autofree char *path = g_build_filename(dir, "m.so", NULL);
        g_autofree char *all = NULL;

        g_assert_true(g_file_set_contents(path, (const char *)m.img->data, m.img->len, NULL));
        all = vkElfExtraExports(path, NULL);
        g_assert_cmpstr(all, ==, ENTRY ", " EXPECTED);
        g_unlink(path);
        g_rmdir(dir);
    }
    g_byte_array_unref(m.img);
}

/* Every prefix of the file: never a read past its end (the sanitizer
 * build checks), and the answer is empty or a prefix of the whole one. */
static void
test_truncated(gconstpointer data)
{
    Image m;

    imageBuild(&m, GPOINTER_TO_INT(data), false);
    for (gsize len = 0; len < m.img->len; len++) {
        g_autofree char *got = scan(&m, len);

        if (got && !g_str_has_prefix(EXPECTED, got))
            g_error("cut at %zu of %u bytes: '%s'", len, m.img->len, got);
    }
    g_byte_array_unref(m.img);
}

typedef enum {
    DAMAGE_SHOFF_PAST_END,
    DAMAGE_SHOFF_HUGE,
    DAMAGE_SHENTSIZE,
    DAMAGE_LINK_PAST_SHNUM,
    DAMAGE_SYMTAB_PAST_END,
    DAMAGE_STRTAB_HUGE,
    DAMAGE_NAME_PAST_STRTAB,
    DAMAGE_UNTERMINATED,
    DAMAGE_CLASS,
    DAMAGE_MAGIC,
} Damage;

static void
test_damaged(gconstpointer data)
{
    Damage d = GPOINTER_TO_INT(data);
    gsize symsize;
    Image m;
    g_autofree char *got = NULL;

    imageBuild(&m, true, false);
    symsize = sizeof(Elf64_Sym);
    switch (d) {
    case DAMAGE_SHOFF_PAST_END:
        put(&m, 0, FIELD(true, Ehdr, e_shoff), m.img->len + 1);
        break;
    case DAMAGE_SHOFF_HUGE:
        put(&m, 0, FIELD(true, Ehdr, e_shoff), G_MAXUINT64 - 8);
        break;
    case DAMAGE_SHENTSIZE:
        put(&m, 0, FIELD(true, Ehdr, e_shentsize), sizeof(Elf32_Shdr));
        break;
    case DAMAGE_LINK_PAST_SHNUM:
        put(&m, m.sym_hdr, FIELD(true, Shdr, sh_link), 3);
        break;
    case DAMAGE_SYMTAB_PAST_END:
        put(&m, m.sym_hdr, FIELD(true, Shdr, sh_size), G_MAXUINT64 - m.symtab + 1);
        break;
    case DAMAGE_STRTAB_HUGE:
        put(&m, m.str_hdr, FIELD(true, Shdr, sh_size), G_MAXUINT64);
        break;
    case DAMAGE_NAME_PAST_STRTAB:
        /* helperFunc's name index beyond the string table: skipped */
        put(&m, m.symtab + 2 * symsize, FIELD(true, Sym, st_name), m.strtab_len + 100);
        break;
    case DAMAGE_UNTERMINATED:
        /* the table now ends inside "localSym", and helperVar's name
         * points into that cut-off string: no NUL before the table's end,
         * so the name is skipped, not read on past the table */
        put(&m, m.str_hdr, FIELD(true, Shdr, sh_size), m.strtab_len - 3);
        put(&m, m.symtab + 7 * symsize, FIELD(true, Sym, st_name), m.strtab_len - 6);
        break;
    case DAMAGE_CLASS:
        m.img->data[EI_CLASS] = ELFCLASSNONE;
        break;
    case DAMAGE_MAGIC:
        m.img->data[1] = 'X';
        break;
    }
    got = scan(&m, m.img->len);
    switch (d) {
    case DAMAGE_NAME_PAST_STRTAB:
        g_assert_cmpstr(got, ==, "helperVar");
        break;
    case DAMAGE_UNTERMINATED:
        g_assert_cmpstr(got, ==, "helperFunc");
        break;
    default:
        g_assert_null(got);
    }
    g_byte_array_unref(m.img);
}

static void
test_not_elf(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-elf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "text.so", NULL);

    g_assert_null(vkElfExtraExports(path, ENTRY));      /* missing */
    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    g_assert_null(vkElfExtraExports(path, ENTRY));      /* empty */
    g_assert_true(g_file_set_contents(path, "\x7f" "ELF", -1, NULL));
    g_assert_null(vkElfExtraExports(path, ENTRY));      /* shorter than e_ident */
    g_assert_true(g_file_set_contents(path, "INPUT(libfoo.so.1)\n", -1, NULL));
    g_assert_null(vkElfExtraExports(path, ENTRY));      /* a linker script */
    g_unlink(path);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    static const char *const damage[] = {
        "shoff-past-end", "shoff-huge", "shentsize", "link-past-shnum", "symtab-past-end",
        "strtab-huge", "name-past-strtab", "unterminated", "class", "magic",
    };

    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/elf/32-little", GINT_TO_POINTER(0), test_classes);
    g_test_add_data_func("/elf/64-little", GINT_TO_POINTER(1), test_classes);
    g_test_add_data_func("/elf/32-big", GINT_TO_POINTER(2), test_classes);
    g_test_add_data_func("/elf/64-big", GINT_TO_POINTER(3), test_classes);
    g_test_add_data_func("/elf/truncated-32", GINT_TO_POINTER(0), test_truncated);
    g_test_add_data_func("/elf/truncated-64", GINT_TO_POINTER(1), test_truncated);
    for (gsize i = 0; i < G_N_ELEMENTS(damage); i++) {
        g_autofree char *name = g_strdup_printf("/elf/damaged/%s", damage[i]);
        g_test_add_data_func(name, GINT_TO_POINTER((int)i), test_damaged);
    }
    g_test_add_func("/elf/not-elf", test_not_elf);
    return g_test_run();
}
