// swap-syscalls: the system calls of one metrics update, alone in a fresh process (run it under spawnbench against a
// program that returns at once): lock + record, then the .prom written to a new temp file, swapped in and the old
// one unlinked (mode 2), or written into the temp file the last swap left when its write lease is granted (mode 5).
// Usage: gcc -O2 -static -o swap swap-syscalls.c && ./swap DIR MODE
#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/file.h>
#include <linux/fs.h>
int main(int argc,char**argv){
  const char*dir=argv[1]; int mode=atoi(argv[2]);
  char p[512],t[512],l[512]; snprintf(p,512,"%s/x.prom",dir); snprintf(t,512,"%s/x.prom.tmp",dir); snprintf(l,512,"%s/x.prom.lock",dir);
  char buf[3900]; memset(buf,'a',sizeof buf); char rec[4096]; memset(rec,1,324);
  int lf=open(l,O_RDWR|O_CREAT|O_CLOEXEC,0600); flock(lf,LOCK_EX);
  pread(lf,rec,4096,0); pwrite(lf,rec,324,0);
  int fd=-1;
  if(mode==5){
    fd=open(t,O_WRONLY|O_CLOEXEC);
    if(fd>=0 && fcntl(fd,F_SETLEASE,F_WRLCK)!=0){ fprintf(stderr,"lease: %s\n",strerror(errno)); close(fd); unlink(t); fd=-1; }
    if(fd>=0){ pwrite(fd,buf,sizeof buf,0); close(fd); renameat2(AT_FDCWD,t,AT_FDCWD,p,RENAME_EXCHANGE); close(lf); return 0; }
  }
  fd=open(t,O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC,0644); write(fd,buf,sizeof buf); close(fd);
  if(renameat2(AT_FDCWD,t,AT_FDCWD,p,RENAME_EXCHANGE)) rename(t,p); else if(mode!=5) unlink(t);
  close(lf);
  return 0;
}
