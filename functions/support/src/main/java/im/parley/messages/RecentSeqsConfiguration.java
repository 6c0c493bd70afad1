package im.parley.messages;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link RecentSeqs} per context, so that sequence and persist composed in one service share it. */
@Configuration(proxyBeanMethods = false)
public class RecentSeqsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RecentSeqs recentSeqs() {
        return new RecentSeqs();
    }
}
