    return r;
}

int main(void)
{
    int fds[3] = {1, 2, 30};
    ca_run(values());
    printf("group: %d\n", ca_run(groups(3, fds)));
    return 0;
}
