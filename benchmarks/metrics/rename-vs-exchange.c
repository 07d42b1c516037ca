// rename-vs-exchange: what replacing a small file costs on a file system, by rename over it (mode 0) or by
// renameat2(RENAME_EXCHANGE) + unlink of the old one (mode 1). On ext4 a rename over an existing file starts the new
// file's writeback before it returns (auto_da_alloc). Prints the medians of N iterations, 2 ms apart.
// Usage: gcc -O2 -o rve rename-vs-exchange.c && ./rve DIR MODE N
#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <linux/fs.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  const char*dir=argv[1]; int mode=atoi(argv[2]); int n=atoi(argv[3]);
  char p[512],t[512]; snprintf(p,512,"%s/x.prom",dir); snprintf(t,512,"%s/x.prom.tmp",dir);
  char buf[3900]; memset(buf,'a',sizeof buf);
  double *d=malloc(n*sizeof(double)), *w=malloc(n*sizeof(double));
  for(int i=0;i<n;i++){
    double s=now();
    int fd=open(t,O_WRONLY|O_CREAT|(mode==1?O_EXCL:O_TRUNC)|O_CLOEXEC,0644);
    if(fd<0){perror("open");return 1;}
    write(fd,buf,sizeof buf); close(fd);
    double m=now();
    if(mode==0){ if(rename(t,p)){perror("rename");return 1;} }
    else { if(renameat2(AT_FDCWD,t,AT_FDCWD,p,RENAME_EXCHANGE)){ if(rename(t,p)){perror("rename");return 1;} } else unlink(t); }
    double e=now(); d[i]=e-m; w[i]=e-s;
    usleep(2000);
  }
  qsort(d,n,sizeof(double),cmp); qsort(w,n,sizeof(double),cmp);
  printf("%s mode %d: rename median %.1f us p90 %.1f; whole median %.1f us\n",dir,mode,d[n/2],d[n*9/10],w[n/2]);
}
