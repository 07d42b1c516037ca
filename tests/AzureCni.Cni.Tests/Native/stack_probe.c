// Asks for the main thread's stack through the wrapped pthread_getattr_np of startup_shims.c and through
// glibc's own, and prints both; exits 0 only when they agree. Linked -static with the plugins' --wrap flags.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);

static int describe(const char *who, int rc, pthread_attr_t *attr, void **addr, size_t *size)
{
    if (rc != 0 || pthread_attr_getstack(attr, addr, size) != 0)
    {
        printf("%s failed: %d\n", who, rc);
        return 1;
    }
    printf("%s %p %zu\n", who, *addr, *size);
    pthread_attr_destroy(attr);
    return 0;
}

int main(void)
{
    pthread_attr_t wrapped, real;
    void *wrapped_addr = NULL, *real_addr = NULL;
    size_t wrapped_size = 0, real_size = 0;
    int failed = describe("shim", pthread_getattr_np(pthread_self(), &wrapped), &wrapped, &wrapped_addr, &wrapped_size);
    failed |= describe("glibc", __real_pthread_getattr_np(pthread_self(), &real), &real, &real_addr, &real_size);
    return failed || wrapped_addr != real_addr || wrapped_size != real_size;
}
