/* The bus of bus_api.h: a queue of deliveries that one thread of the bus's own works through. */
#include "bus_api.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum kind { EVENT, MESSAGE, UNWATCH, STOP };

struct item {
    struct item *next;
    enum kind kind;
    int value; /* EVENT: the event; MESSAGE: the topic */
    char *msg;
    bus_watch *w;
    void (*done)(void *ud);
    void *ud;
};

struct bus_watch {
    bus_watch *next;
    bus *b;
    int topic;
    bus_msg_cb cb;
    void *ud;
};

struct bus {
    pthread_t thread;
    pthread_mutex_t mu; /* the queue and its counts */
    pthread_cond_t cv;
    struct item *head, *tail;
    unsigned long queued, delivered;
    bool held;
    /* Held while callbacks run: subscribing and unsubscribing wait for them. */
    pthread_mutex_t deliver;
    struct {
        void (*cb)(void *ud, int ev);
        void *ud;
        bool used;
    } subs[BUS_MAX];
    bus_watch *watches;
};

static void deliver(bus *b, struct item *it)
{
    pthread_mutex_lock(&b->deliver);
    if (it->kind == EVENT) {
        for (int i = 0; i < BUS_MAX; i++)
            if (b->subs[i].used)
                b->subs[i].cb(b->subs[i].ud, it->value);
    } else if (it->kind == MESSAGE) {
        for (bus_watch *w = b->watches; w; w = w->next)
            if (w->topic == it->value)
                w->cb(w->ud, it->value, it->msg);
    } else {
        for (bus_watch **p = &b->watches; *p; p = &(*p)->next) {
            if (*p == it->w) {
                *p = it->w->next;
                break;
            }
        }
        it->done(it->ud);
        free(it->w);
    }
    pthread_mutex_unlock(&b->deliver);
}

static void *run(void *arg)
{
    bus *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (!b->head || b->held)
            pthread_cond_wait(&b->cv, &b->mu);
        struct item *it = b->head;
        b->head = it->next;
        if (!b->head)
            b->tail = NULL;
        pthread_mutex_unlock(&b->mu);
        if (it->kind == STOP) {
            free(it);
            return NULL;
        }
        deliver(b, it);
        free(it->msg);
        free(it);
        pthread_mutex_lock(&b->mu);
        b->delivered++;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
}

static void enqueue(bus *b, struct item it)
{
    struct item *p = malloc(sizeof *p);
    if (!p)
        abort();
    *p = it;
    p->next = NULL;
    pthread_mutex_lock(&b->mu);
    if (b->tail)
        b->tail->next = p;
    else
        b->head = p;
    b->tail = p;
    b->queued++;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

bus *bus_new(void)
{
    bus *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->mu, NULL);
    pthread_mutex_init(&b->deliver, NULL);
    pthread_cond_init(&b->cv, NULL);
    if (pthread_create(&b->thread, NULL, run, b) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

void bus_free(bus *b)
{
    enqueue(b, (struct item){.kind = STOP});
    pthread_join(b->thread, NULL);
    while (b->watches) {
        bus_watch *w = b->watches;
        b->watches = w->next;
        free(w);
    }
    pthread_mutex_destroy(&b->mu);
    pthread_mutex_destroy(&b->deliver);
    pthread_cond_destroy(&b->cv);
    free(b);
}

void bus_publish(bus *b, int ev)
{
    enqueue(b, (struct item){.kind = EVENT, .value = ev});
}

void bus_flush(bus *b)
{
    pthread_mutex_lock(&b->mu);
    unsigned long target = b->queued;
    while (b->delivered < target)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}

void bus_hold(bus *b)
{
    pthread_mutex_lock(&b->mu);
    b->held = true;
    pthread_mutex_unlock(&b->mu);
}

void bus_resume(bus *b)
{
    pthread_mutex_lock(&b->mu);
    b->held = false;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

int bus_subscribe(bus *b, void (*cb)(void *ud, int ev), void *ud)
{
    int id = -ENOSPC;
    pthread_mutex_lock(&b->deliver);
    for (int i = 0; i < BUS_MAX && id < 0; i++) {
        if (!b->subs[i].used) {
            b->subs[i].cb = cb;
            b->subs[i].ud = ud;
            b->subs[i].used = true;
            id = i;
        }
    }
    pthread_mutex_unlock(&b->deliver);
    return id;
}

void bus_unsubscribe(bus *b, int id)
{
    pthread_mutex_lock(&b->deliver);
    b->subs[id].used = false;
    pthread_mutex_unlock(&b->deliver);
}

bus_watch *bus_watch_topic(bus *b, int topic, bus_msg_cb cb, void *ud)
{
    bus_watch *w = topic < 0 ? NULL : malloc(sizeof *w);
    if (!w) {
        errno = topic < 0 ? EINVAL : ENOMEM;
        return NULL;
    }
    *w = (bus_watch){.b = b, .topic = topic, .cb = cb, .ud = ud};
    pthread_mutex_lock(&b->deliver);
    w->next = b->watches;
    b->watches = w;
    pthread_mutex_unlock(&b->deliver);
    return w;
}

void bus_post(bus *b, int topic, const char *msg)
{
    char *copy = strdup(msg);
    if (!copy)
        abort();
    enqueue(b, (struct item){.kind = MESSAGE, .value = topic, .msg = copy});
}

void bus_unwatch(bus_watch *w, void (*done)(void *ud), void *ud)
{
    enqueue(w->b, (struct item){.kind = UNWATCH, .w = w, .done = done, .ud = ud});
}
