/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conf-domain-schema.h: the table of the domain model (private to conf/). */
#ifndef VIRTKIT_CONF_DOMAIN_SCHEMA_H
#define VIRTKIT_CONF_DOMAIN_SCHEMA_H

/* The element has character data. */
#define VIRTKIT_SCHEMA_TEXT (1u << 0)
/* Anything below the element is kept as written (no checks, no reordering). */
#define VIRTKIT_SCHEMA_ANY (1u << 1)

typedef struct _virtkitSchemaEntry {
    const char *path;      /* "domain/devices/disk", or "*" + "/name" */
    const char *attrs;     /* space-separated, in formatting order */
    const char *children;  /* space-separated, in formatting order */
    unsigned int flags;
} virtkitSchemaEntry;

extern const virtkitSchemaEntry virtkitDomainSchema[];

typedef struct _virtkitSchemaEnum {
    const char *path;      /* the element */
    const char *attr;      /* its attribute */
    const char *values;    /* space-separated: every value allowed */
} virtkitSchemaEnum;

extern const virtkitSchemaEnum virtkitDomainEnums[];

#endif
