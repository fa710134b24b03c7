# RTPEngine beside the edge: Debian 12's rtpengine-daemon (userspace forwarding, no kernel module)
# with kamailio/rtpengine.conf. Build from the repository root:
#   docker build -f kamailio/rtpengine.Dockerfile .
FROM debian:12-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends rtpengine-daemon tini \
	&& rm -rf /var/lib/apt/lists/*
COPY kamailio/rtpengine.conf /etc/rtpengine/telpro.conf
COPY kamailio/rtpengine-entrypoint.sh /usr/local/bin/telpro-rtpengine
EXPOSE 30000-30999/udp
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/telpro-rtpengine"]
