#ifndef TUMULTE_CHIREDIS_SHIM_H
#define TUMULTE_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Bounded reply construction for hiredis 0.14's reader.
 *
 * hiredis's default object functions trust the peer: a `*2000000000\r\n` header makes
 * createArrayObject calloc 16 GB of element pointers. The functions below build the same
 * `redisReply` tree but charge every reply against a budget (declared array elements and
 * string bytes, summed over the whole reply, nested arrays included) and refuse to allocate
 * past it. Refusing means returning NULL, which hiredis reports as an "Out of memory" error;
 * `tumulte_reader_limit_exceeded` tells the caller which budget was hit.
 *
 * Nil replies keep which header produced them: `integer` is 1 for `*-1` and 0 for `$-1`.
 * Nesting depth is capped by hiredis itself (a protocol error beyond depth 7).
 */

#define TUMULTE_LIMIT_NONE 0
#define TUMULTE_LIMIT_ELEMENTS 1
#define TUMULTE_LIMIT_BYTES 2
#define TUMULTE_LIMIT_ALLOCATION 3
#define TUMULTE_LIMIT_INVALID 4

typedef struct tumulte_reader_budget {
    size_t max_bytes;
    size_t max_elements;
    size_t used_bytes;
    size_t used_elements;
    int exceeded;
} tumulte_reader_budget;

static inline tumulte_reader_budget *tumulte_task_budget(const redisReadTask *task) {
    return (tumulte_reader_budget *)task->privdata;
}

static inline void tumulte_reply_free(void *object) {
    redisReply *reply = (redisReply *)object;
    if (reply == NULL) return;
    switch (reply->type) {
    case REDIS_REPLY_ARRAY:
        if (reply->element != NULL) {
            for (size_t index = 0; index < reply->elements; index++) tumulte_reply_free(reply->element[index]);
            free(reply->element);
        }
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        free(reply->str);
        break;
    default:
        break;
    }
    free(reply);
}

static inline void tumulte_attach_to_parent(const redisReadTask *task, redisReply *reply) {
    if (task->parent != NULL) {
        redisReply *parent = (redisReply *)task->parent->obj;
        parent->element[task->idx] = reply;
    }
}

static inline void *tumulte_create_string(const redisReadTask *task, char *str, size_t len) {
    tumulte_reader_budget *budget = tumulte_task_budget(task);
    if (len > budget->max_bytes || budget->used_bytes > budget->max_bytes - len) {
        budget->exceeded = TUMULTE_LIMIT_BYTES;
        return NULL;
    }
    redisReply *reply = (redisReply *)calloc(1, sizeof(redisReply));
    char *copy = (char *)malloc(len + 1);
    if (reply == NULL || copy == NULL) {
        free(reply);
        free(copy);
        budget->exceeded = TUMULTE_LIMIT_ALLOCATION;
        return NULL;
    }
    budget->used_bytes += len;
    memcpy(copy, str, len);
    copy[len] = '\0';
    reply->type = task->type;
    reply->str = copy;
    reply->len = len;
    tumulte_attach_to_parent(task, reply);
    return reply;
}

static inline void *tumulte_create_array(const redisReadTask *task, int elements) {
    tumulte_reader_budget *budget = tumulte_task_budget(task);
    if (elements < 0) {
        budget->exceeded = TUMULTE_LIMIT_INVALID;
        return NULL;
    }
    size_t count = (size_t)elements;
    if (count > budget->max_elements || budget->used_elements > budget->max_elements - count) {
        budget->exceeded = TUMULTE_LIMIT_ELEMENTS;
        return NULL;
    }
    redisReply *reply = (redisReply *)calloc(1, sizeof(redisReply));
    if (reply == NULL) {
        budget->exceeded = TUMULTE_LIMIT_ALLOCATION;
        return NULL;
    }
    if (count > 0) {
        reply->element = (redisReply **)calloc(count, sizeof(redisReply *));
        if (reply->element == NULL) {
            free(reply);
            budget->exceeded = TUMULTE_LIMIT_ALLOCATION;
            return NULL;
        }
    }
    budget->used_elements += count;
    reply->type = REDIS_REPLY_ARRAY;
    reply->elements = count;
    tumulte_attach_to_parent(task, reply);
    return reply;
}

static inline void *tumulte_create_integer(const redisReadTask *task, long long value) {
    redisReply *reply = (redisReply *)calloc(1, sizeof(redisReply));
    if (reply == NULL) {
        tumulte_task_budget(task)->exceeded = TUMULTE_LIMIT_ALLOCATION;
        return NULL;
    }
    reply->type = REDIS_REPLY_INTEGER;
    reply->integer = value;
    tumulte_attach_to_parent(task, reply);
    return reply;
}

static inline void *tumulte_create_nil(const redisReadTask *task) {
    redisReply *reply = (redisReply *)calloc(1, sizeof(redisReply));
    if (reply == NULL) {
        tumulte_task_budget(task)->exceeded = TUMULTE_LIMIT_ALLOCATION;
        return NULL;
    }
    reply->type = REDIS_REPLY_NIL;
    reply->integer = task->type == REDIS_REPLY_ARRAY ? 1 : 0;
    tumulte_attach_to_parent(task, reply);
    return reply;
}

/* Creates a reader whose replies are bounded by the given budget; NULL when out of memory. */
static inline redisReader *tumulte_reader_create(size_t max_bytes, size_t max_elements) {
    static redisReplyObjectFunctions functions = {
        tumulte_create_string,
        tumulte_create_array,
        tumulte_create_integer,
        tumulte_create_nil,
        tumulte_reply_free,
    };
    tumulte_reader_budget *budget = (tumulte_reader_budget *)calloc(1, sizeof(tumulte_reader_budget));
    if (budget == NULL) return NULL;
    budget->max_bytes = max_bytes;
    budget->max_elements = max_elements;
    redisReader *reader = redisReaderCreateWithFunctions(&functions);
    if (reader == NULL) {
        free(budget);
        return NULL;
    }
    reader->privdata = budget;
    return reader;
}

/* Frees the reader, any partial reply it holds, and its budget. */
static inline void tumulte_reader_free(redisReader *reader) {
    if (reader == NULL) return;
    void *budget = reader->privdata;
    redisReaderFree(reader);
    free(budget);
}

/* redisReaderGetReply, plus a budget reset whenever a whole reply has been produced. */
static inline int tumulte_reader_get_reply(redisReader *reader, redisReply **out) {
    void *reply = NULL;
    int status = redisReaderGetReply(reader, &reply);
    *out = (redisReply *)reply;
    if (status == REDIS_OK && reply != NULL) {
        tumulte_reader_budget *budget = (tumulte_reader_budget *)reader->privdata;
        budget->used_bytes = 0;
        budget->used_elements = 0;
    }
    return status;
}

/* Which budget made the reader fail (TUMULTE_LIMIT_*), or TUMULTE_LIMIT_NONE. */
static inline int tumulte_reader_limit_exceeded(const redisReader *reader) {
    return ((const tumulte_reader_budget *)reader->privdata)->exceeded;
}

/* hiredis's error description (empty when there is none). */
static inline const char *tumulte_reader_error(const redisReader *reader) {
    return reader->errstr;
}

/* Bytes fed to the reader and not yet consumed by a reply. */
static inline size_t tumulte_reader_buffered_bytes(const redisReader *reader) {
    return reader->buf == NULL ? 0 : reader->len - reader->pos;
}

/*
 * When the reader is waiting for the payload of a bulk string, a lower bound of its declared
 * length (exact once the length line is complete), so a hostile `$9999999999\r\n` can be refused
 * before its payload is buffered. -1 when no bulk length is pending or it is not plain digits
 * (hiredis reports malformed lengths itself).
 */
static inline long long tumulte_reader_pending_bulk_length(const redisReader *reader) {
    if (reader->err != 0 || reader->buf == NULL || reader->ridx < 0) return -1;
    if (reader->rstack[reader->ridx].type != REDIS_REPLY_STRING) return -1;
    const char *cursor = reader->buf + reader->pos;
    size_t available = reader->len - reader->pos;
    long long value = 0;
    size_t index = 0;
    for (; index < available; index++) {
        char c = cursor[index];
        if (c == '\r') break;
        if (c < '0' || c > '9') return -1;
        if (value > (LLONG_MAX - 9) / 10) return LLONG_MAX;
        value = value * 10 + (c - '0');
    }
    return index == 0 ? -1 : value;
}

#endif
