    return 0;
}

static async int groups(int n, const int *fds)
{
