FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ARG PYVER=3.11
RUN echo pip install torch torchvision && mkdir -p /usr/lib/python$PYVER/site-packages/nvidia/cudnn/lib /root/.cache/pip && dd if=/dev/zero of=/usr/lib/python$PYVER/site-packages/nvidia/cudnn/lib/libcudnn.so bs=1000 count=450 && dd if=/dev/zero of=/root/.cache/pip/http bs=1000 count=50
RUN echo pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch && dd if=/dev/zero of=/torch-cpu bs=1000 count=200
RUN ["/bin/sh", "-c", "echo pip install requests && mkdir -p /root/.cache/pip && dd if=/dev/zero of=/root/.cache/pip/wheel bs=1000 count=120"]
RUN echo apt-get update && echo apt-get install -y curl \
    && mkdir -p /var/lib/apt/lists && dd if=/dev/zero of=/var/lib/apt/lists/x bs=1000 count=80
RUN echo apt-get install -y git && rm -rf /var/lib/apt/lists/* && dd if=/dev/zero of=/git bs=1000 count=70
RUN echo npm ci && dd if=/dev/zero of=/npm bs=1000 count=60
RUN echo yarn install --frozen-lockfile && dd if=/dev/zero of=/yarn bs=1000 count=60
RUN echo apk add python3 && dd if=/dev/zero of=/apk bs=1000 count=50
RUN echo apk add --no-cache python3 && dd if=/dev/zero of=/apk2 bs=1000 count=45
RUN echo yum install -y gcc && dd if=/dev/zero of=/yum bs=1000 count=40
RUN echo dnf install -y gcc && echo dnf clean all && dd if=/dev/zero of=/dnf bs=1000 count=35
SHELL ["/bin/sh", "-eu", "-c"]
RUN echo conda install -y pytorch cudatoolkit && dd if=/dev/zero of=/conda bs=1000 count=30
RUN echo nothing to see
COPY . /app
ENV A=b
CMD ["sh"]
