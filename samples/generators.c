/*
 * Generators: a recursive tree walk, a generator consuming a generator, and
 * a consumer that awaits between elements and stops early.
 *
 * Expected output:
 *
 *   in order: 1 2 3 4 5 6 7
 *   running sums: 1 3 6 10 15 21 28
 *   first even over 3: 4
 */
#include <cawait.h>
#include <stdio.h>

struct node {
    int val;
    struct node *left, *right;
};

static async ca_gen(int) in_order(struct node *t)
{
    if (!t)
        return;
    ca_for (int v, in_order(t->left))
        yield(v);
    yield(t->val);
    ca_for (int v, in_order(t->right))
        yield(v);
}

static async ca_gen(long) running_sums(struct node *t)
{
    long sum = 0;
    ca_for (int v, in_order(t)) {
        sum += v;
        yield(sum);
    }
}

static async int first_even_over(struct node *t, int limit)
{
    ca_for (int v, in_order(t)) {
        await ca_sleep(1);          /* the consumer may await between elements */
        if (v > limit && v % 2 == 0)
            return v;               /* releases the generators */
    }
    return -1;
}

static async int run(void)
{
    struct node n1 = {1, 0, 0}, n3 = {3, 0, 0}, n5 = {5, 0, 0}, n7 = {7, 0, 0};
    struct node n2 = {2, &n1, &n3}, n6 = {6, &n5, &n7}, n4 = {4, &n2, &n6};
    printf("in order:");
    ca_for (int v, in_order(&n4))
        printf(" %d", v);
    printf("\nrunning sums:");
    ca_for (long s, running_sums(&n4))
        printf(" %ld", s);
    printf("\nfirst even over 3: %d\n", await first_even_over(&n4, 3));
    return 0;
}

int main(void) { return ca_run(run()); }
